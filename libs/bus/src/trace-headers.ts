import {
  context,
  propagation,
  trace,
  INVALID_SPAN_CONTEXT,
  SpanKind,
  SpanStatusCode,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import { BusError } from '@tollgate/contracts';
import type { BusObserver } from './bus.js';
import { tracingInstalled } from './tracing-installed.js';

/** A header carrier both transports use: a plain map of lower-case names to values. */
export type HeaderMap = Record<string, string>;

const setter: TextMapSetter<HeaderMap> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};
const getter: TextMapGetter<HeaderMap> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};

const tracer = trace.getTracer('tollgate.bus');
// The span a handler gets when tracing is off: records nothing, like the no-op tracer's.
const NOT_TRACED: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/**
 * Runs `fn` inside a client span for `subject`, with the span's context injected into headers,
 * and tells `observer` how the request ended and how long it took. With tracing off there is no
 * span and no header to carry (see tracing-installed.ts).
 */
export async function withRequestSpan<T>(subject: string, fn: (headers: HeaderMap) => Promise<T>, observer?: BusObserver): Promise<T> {
  const started = observer ? performance.now() : 0;
  if (!tracingInstalled()) {
    if (!observer) return fn({});
    try {
      const result = await fn({});
      observer.requestDone(subject, 'ok', (performance.now() - started) / 1000);
      return result;
    } catch (error) {
      observer.requestDone(subject, error instanceof BusError ? error.code : 'internal', (performance.now() - started) / 1000);
      throw error;
    }
  }
  return tracer.startActiveSpan(
    `${subject} request`,
    { kind: SpanKind.CLIENT, attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject } },
    async (span) => {
      const headers: HeaderMap = {};
      propagation.inject(context.active(), headers, setter);
      try {
        const result = await fn(headers);
        observer?.requestDone(subject, 'ok', (performance.now() - started) / 1000);
        return result;
      } catch (error) {
        markError(span, error);
        observer?.requestDone(subject, error instanceof BusError ? error.code : 'internal', (performance.now() - started) / 1000);
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** Runs a handler inside a server span whose parent is the context carried in `headers` (no span with tracing off). */
export async function withHandlerSpan<T>(subject: string, headers: HeaderMap, fn: (span: Span) => Promise<T>): Promise<T> {
  if (!tracingInstalled()) return fn(NOT_TRACED);
  const parent: Context = propagation.extract(context.active(), headers, getter);
  return tracer.startActiveSpan(
    `${subject} process`,
    { kind: SpanKind.SERVER, attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject } },
    parent,
    async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        markError(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

function markError(span: Span, error: unknown): void {
  const code = (error as { code?: unknown })?.code;
  // The message of our errors never holds a secret; record only the code to be sure.
  span.setStatus({ code: SpanStatusCode.ERROR, message: typeof code === 'string' ? code : 'error' });
}
