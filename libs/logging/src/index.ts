import { pino, type Logger, type LoggerOptions } from 'pino';
import { trace, isSpanContextValid } from '@opentelemetry/api';
import { createRedactor } from './redact-paths.js';

export type { Logger } from 'pino';
export { errorFields } from './error-fields.js';

/**
 * Paths whose values never reach a log line, at any of the depths our log calls use.
 * The rule of the house is not to log secrets at all; this is the net under that rule.
 */
export const SECRET_KEYS = [
  'password',
  'secret',
  'clientSecret',
  'client_secret',
  'code',
  'otp',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'authorization',
  'Authorization',
  'masterKey',
  'seed',
  'sharedSecret',
  'apiToken',
];
/**
 * Where `code` is an error's code (a SQLSTATE such as `23505`, `ECONNREFUSED`), never a secret:
 * the keys errors are logged under (`err: errorFields(error)`), at the depths REDACT_PATHS reach.
 * These stay readable; a `code` anywhere else (`code`, `request.code`, `payload.code`) is censored.
 */
export const ERROR_CODE_PATHS = ['err.code', 'error.code', '*.err.code', '*.error.code'];
export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  ...ERROR_CODE_PATHS.map((p) => `!${p}`),
];

export { createRedactor, type Redactor } from './redact-paths.js';

const redact = createRedactor(REDACT_PATHS);

export interface LoggerSettings {
  level?: string;
  /** Where lines go; defaults to stdout. Tests pass a stream to capture them. */
  destination?: pino.DestinationStream;
}

/**
 * A JSON logger for one component: `component` on every line, trace_id/span_id on every line
 * written inside a span, and every REDACT_PATHS value replaced by `[redacted]`.
 */
export function createLogger(component: string, settings: LoggerSettings = {}): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? process.env.LOG_LEVEL ?? 'info',
    base: { component },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Redaction by path in the formatters (copy-on-write), not pino's `redact`: same paths,
    // a fraction of the cost (see redact-paths.ts). Bindings (child loggers) are redacted too.
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => redact(object) as Record<string, unknown>,
      bindings: (bindings) => redact(bindings) as pino.Bindings,
    },
    mixin() {
      const span = trace.getActiveSpan();
      if (!span) return {};
      const ctx = span.spanContext();
      return isSpanContextValid(ctx) ? { trace_id: ctx.traceId, span_id: ctx.spanId } : {};
    },
  };
  const logger = settings.destination ? pino(options, settings.destination) : pino(options);
  // pino applies `formatters.bindings` to the root's bindings only; a child's go through here.
  type ChildFn = (this: unknown, bindings: pino.Bindings, options?: unknown) => unknown;
  const pinoChild = logger.child as unknown as ChildFn;
  const child: ChildFn = function (bindings, childOptions) {
    return pinoChild.call(this, redact(bindings) as pino.Bindings, childOptions);
  };
  logger.child = child as unknown as typeof logger.child;
  return logger;
}
