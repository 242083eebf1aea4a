import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { context, propagation, trace, SpanKind } from '@opentelemetry/api';
import { otlpTestEnv, startOtlpReceiver, SpanKinds } from '@tollgate/testkit';
import { startTelemetry } from './start-telemetry.js';

// One process per test file: the SDK registers globals, so this file starts it once.
const receiver = await startOtlpReceiver();
after(() => receiver.close());

test('off without an endpoint: nothing registered, spans do not record, no header is injected', async () => {
  const telemetry = await startTelemetry({ targets: ['aggregator'], env: {} });
  assert.equal(telemetry.enabled, false);
  const span = trace.getTracer('t').startSpan('x');
  assert.equal(span.isRecording(), false);
  span.end();
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);
  assert.deepEqual(headers, {});
  await telemetry.shutdown();
});

test('on: W3C trace context is injected, spans are exported over OTLP under tollgate-<targets>, flushed at shutdown', async () => {
  for (const [k, v] of Object.entries(otlpTestEnv(receiver))) process.env[k] = v;
  // A long schedule delay: only the shutdown's flush can deliver the span in time.
  process.env.OTEL_BSP_SCHEDULE_DELAY = '60000';
  delete process.env.OTEL_SERVICE_NAME;
  const telemetry = await startTelemetry({ targets: ['aggregator', 'otp-verifier'] });
  assert.equal(telemetry.enabled, true);
  const tracer = trace.getTracer('t');
  const headers: Record<string, string> = {};
  const traceId = await tracer.startActiveSpan(
    'parent',
    { kind: SpanKind.SERVER, attributes: { 'tollgate.reason': 'ok' } },
    async (span) => {
      propagation.inject(context.active(), headers);
      const child = tracer.startSpan('child');
      child.end();
      span.end();
      return span.spanContext().traceId;
    },
  );
  assert.match(headers.traceparent ?? '', new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
  await telemetry.shutdown();
  const spans = receiver.spans.filter((s) => s.traceId === traceId);
  assert.deepEqual(spans.map((s) => s.name).sort(), ['child', 'parent']);
  const parent = spans.find((s) => s.name === 'parent')!;
  assert.equal(parent.service, 'tollgate-aggregator+otp-verifier');
  assert.equal(parent.kind, SpanKinds.server);
  assert.equal(parent.attributes['tollgate.reason'], 'ok');
  assert.equal(spans.find((s) => s.name === 'child')!.parentSpanId, parent.spanId);
});
