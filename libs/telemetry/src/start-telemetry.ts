/**
 * Starts OpenTelemetry tracing for one process, before its services: the Node SDK configured
 * by the standard OTEL_* variables (exporter and protocol, sampler, batch processor), the W3C
 * trace-context propagator (what the bus injects into and extracts from NATS headers), and an
 * AsyncLocalStorage context manager. Traces only: no SDK metrics (Prometheus has those), no
 * log export (the JSON log lines carry the trace ids), no auto-instrumentation (our own
 * abstractions make the database, Redis and HTTP spans).
 *
 * Off (no OTLP endpoint, or OTEL_SDK_DISABLED=true), the SDK is not even loaded: the API stays
 * a no-op, so a span costs a non-recording object and no header is injected.
 */
import { diag, DiagLogLevel } from '@opentelemetry/api';
import type { NodeSDK } from '@opentelemetry/sdk-node';
import { serviceNameFor, tracingEnabled, type Env } from './tracing-settings.js';

export interface Telemetry {
  readonly enabled: boolean;
  /** Exports the spans still buffered (bounded by `timeoutMs`) and unregisters the SDK. */
  shutdown(timeoutMs?: number): Promise<void>;
}

export interface TelemetryOptions {
  /** The launcher's targets, for service.name (`tollgate-<targets>`) when OTEL_SERVICE_NAME is unset. */
  targets?: readonly string[];
  /** service.name to use instead (still overridden by OTEL_SERVICE_NAME). */
  serviceName?: string;
  /** Decides whether to trace (default process.env); the SDK itself reads its OTEL_* settings from process.env. */
  env?: Env;
  /** Told (at most once a minute) when the SDK reports a problem, e.g. spans it cannot export. */
  logger?: { warn(details: object, message: string): void };
}

const DIAG_WARN_INTERVAL_MS = 60_000;

/**
 * Routes the SDK's own warnings and errors (an unreachable collector above all) to our log, at
 * most one line a minute, unless OTEL_LOG_LEVEL asks for the SDK's console logger instead.
 */
function bridgeDiagnostics(logger: NonNullable<TelemetryOptions['logger']>): void {
  let last = 0;
  const warn = (message: unknown) => {
    const now = Date.now();
    if (now - last < DIAG_WARN_INTERVAL_MS) return;
    last = now;
    logger.warn(
      { problem: String(message).slice(0, 200) },
      'tracing: the OpenTelemetry SDK reports a problem (further ones are silent for a minute)',
    );
  };
  const quiet = () => undefined;
  diag.setLogger({ error: warn, warn, info: quiet, debug: quiet, verbose: quiet }, DiagLogLevel.WARN);
}

const DISABLED: Telemetry = { enabled: false, shutdown: async () => undefined };

export async function startTelemetry(options: TelemetryOptions = {}): Promise<Telemetry> {
  const env = options.env ?? process.env;
  if (!tracingEnabled(env)) return DISABLED;
  const serviceName = env.OTEL_SERVICE_NAME?.trim() ? undefined : (options.serviceName ?? serviceNameFor(options.targets ?? [], env));
  // Loaded only when tracing is on: a process that does not trace never loads the SDK.
  const { NodeSDK: Sdk } = await import('@opentelemetry/sdk-node');
  if (options.logger && !env.OTEL_LOG_LEVEL) bridgeDiagnostics(options.logger);
  const sdk: NodeSDK = new Sdk({
    ...(serviceName ? { serviceName } : {}),
    // Empty lists mean "none" (not "from the environment"): traces are all we export.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
  });
  sdk.start();
  let stopped: Promise<void> | undefined;
  return {
    enabled: true,
    shutdown(timeoutMs = 5000) {
      stopped ??= (async () => {
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
          timer.unref();
        });
        // An unreachable collector must not hold the exit past the deadline.
        await Promise.race([sdk.shutdown().catch(() => undefined), deadline]);
        clearTimeout(timer);
      })();
      return stopped;
    },
  };
}
