import { ProxyTracerProvider, trace } from '@opentelemetry/api';

// What a provider with no SDK behind it hands out: the API's own no-op provider.
const NO_PROVIDER = new ProxyTracerProvider().getDelegate();

/**
 * True while an OpenTelemetry SDK is registered (tracing on). With none, every tracer is the
 * API's no-op one: a span around each bus request and handler then records nothing, carries no
 * context, and only costs allocations, so the wrappers skip it. Asked on every call (an SDK may
 * be registered later, tests do), at the cost of a property read; with an API copy this module
 * does not know, it answers true and spans are made as before.
 */
export function tracingInstalled(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegate() !== NO_PROVIDER;
}
