/**
 * Real tracing inside a test process: the OpenTelemetry Node SDK with an in-memory exporter
 * and a simple (synchronous) processor, so a test can look at the spans its code under test
 * made. It registers globals: start it once per test file (each file is its own process).
 */
import type { tracing } from '@opentelemetry/sdk-node';

export interface InMemoryTracing {
  /** Spans ended so far. */
  spans(): tracing.ReadableSpan[];
  reset(): void;
  shutdown(): Promise<void>;
}

export async function startInMemoryTracing(): Promise<InMemoryTracing> {
  const { NodeSDK, tracing: sdkTracing } = await import('@opentelemetry/sdk-node');
  const exporter = new sdkTracing.InMemorySpanExporter();
  const sdk = new NodeSDK({
    spanProcessors: [new sdkTracing.SimpleSpanProcessor(exporter)],
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
    autoDetectResources: false,
  });
  sdk.start();
  return {
    spans: () => exporter.getFinishedSpans() as tracing.ReadableSpan[],
    reset: () => exporter.reset(),
    shutdown: () => sdk.shutdown(),
  };
}
