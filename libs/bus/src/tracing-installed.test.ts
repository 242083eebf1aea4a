/** Bus spans with tracing off (none, no headers) and on (a client span whose context is in the headers). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startInMemoryTracing } from '@tollgate/testkit';
import { withHandlerSpan, withRequestSpan } from './trace-headers.js';
import { tracingInstalled } from './tracing-installed.js';

test('no SDK registered: no span, no trace headers, the handler gets a span that records nothing', async () => {
  assert.equal(tracingInstalled(), false);
  const outcomes: string[] = [];
  const headers = await withRequestSpan('tg.a.v1.b', async (h) => h, { requestDone: (_s, outcome) => outcomes.push(outcome) });
  assert.deepEqual(headers, {});
  assert.deepEqual(outcomes, ['ok']);
  await assert.rejects(
    withRequestSpan(
      'tg.a.v1.b',
      async () => {
        throw new Error('x');
      },
      { requestDone: (_s, outcome) => outcomes.push(outcome) },
    ),
  );
  assert.deepEqual(outcomes, ['ok', 'internal'], 'a failure is still told to the observer');
  assert.equal(await withHandlerSpan('tg.a.v1.b', {}, async (span) => span.isRecording()), false);
});

test('an SDK registered: the request span is made and its context goes into the headers', async () => {
  const tracing = await startInMemoryTracing();
  try {
    assert.equal(tracingInstalled(), true);
    const headers = await withRequestSpan('tg.a.v1.b', async (h) => h);
    assert.match(headers.traceparent ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
    assert.ok(tracing.spans().some((s) => s.name === 'tg.a.v1.b request'));
    assert.equal(await withHandlerSpan('tg.a.v1.b', headers, async (span) => span.isRecording()), true);
  } finally {
    await tracing.shutdown();
  }
});
