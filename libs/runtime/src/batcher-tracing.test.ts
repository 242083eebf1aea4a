import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { trace } from '@opentelemetry/api';
import { startInMemoryTracing } from '@tollgate/testkit';
import { Batcher } from './batcher.js';

const tracing = await startInMemoryTracing();
after(() => tracing.shutdown());
const tracer = trace.getTracer('test');

test('a batch span is a child of the first caller and links every other caller', async () => {
  tracing.reset();
  const inner: string[] = [];
  const batcher = new Batcher<number, number>({
    name: 'double',
    run: async (items) => {
      // Work done by the batch runs inside the batch span.
      inner.push(trace.getActiveSpan()?.spanContext().spanId ?? 'none');
      return items.map((i) => i * 2);
    },
  });
  const callers = await Promise.all(
    [1, 2, 3].map((n) =>
      tracer.startActiveSpan(`caller-${n}`, async (span) => {
        const result = await batcher.load(n);
        span.end();
        return { result, spanId: span.spanContext().spanId, traceId: span.spanContext().traceId };
      }),
    ),
  );
  assert.deepEqual(
    callers.map((c) => c.result),
    [2, 4, 6],
  );
  const batch = tracing.spans().filter((s) => s.name === 'batch double');
  assert.equal(batch.length, 1, 'one batch, one span');
  const span = batch[0]!;
  assert.equal(span.attributes['tollgate.batch.size'], 3);
  assert.equal(span.parentSpanContext?.spanId, callers[0]!.spanId);
  assert.equal(span.spanContext().traceId, callers[0]!.traceId);
  assert.deepEqual(
    span.links.map((l) => l.context.spanId),
    [callers[1]!.spanId, callers[2]!.spanId],
  );
  assert.deepEqual(inner, [span.spanContext().spanId]);
});

test('a failed batch marks its span as an error', async () => {
  tracing.reset();
  const batcher = new Batcher<number, number>({ run: async () => Promise.reject(new Error('db down')) });
  await assert.rejects(tracer.startActiveSpan('caller', async (span) => batcher.load(1).finally(() => span.end())));
  const span = tracing.spans().find((s) => s.name === 'batch');
  assert.equal(span?.status.code, 2);
});

test('a split batch keeps one span: an event says it was split, and the status counts the failed items', async () => {
  tracing.reset();
  const inner: string[] = [];
  const batcher = new Batcher<number, number>({
    name: 'split',
    run: async (items) => {
      inner.push(trace.getActiveSpan()?.spanContext().spanId ?? 'none');
      if (items.includes(-1)) throw Object.assign(new Error('bad value'), { code: '22021' });
      return [...items];
    },
  });
  const results = await Promise.allSettled([1, -1, 2].map((x) => batcher.load(x)));
  assert.deepEqual(
    results.map((r) => r.status),
    ['fulfilled', 'rejected', 'fulfilled'],
  );
  const spans = tracing.spans().filter((s) => s.name === 'batch split');
  assert.equal(spans.length, 1);
  const span = spans[0]!;
  assert.equal(span.status.code, 2);
  assert.equal(span.status.message, '1 of 3 items failed');
  assert.deepEqual(
    span.events.map((e) => [e.name, e.attributes?.['tollgate.batch.error']]),
    [['batch split', 'Error 22021']],
  );
  // The retries ran inside the same span.
  assert.deepEqual(new Set(inner), new Set([span.spanContext().spanId]));
  assert.equal(inner.length, 4);
});
