import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuthFailureSummary, OTHER_SOURCES } from './auth-failure-summary.js';

test('the first of a source in an interval is told at once, the rest as one count per source', () => {
  const s = new AuthFailureSummary();
  assert.equal(s.pending, false);
  const outcomes = Array.from({ length: 3000 }, (_, i) => s.record('192.0.2.1', i < 10 ? 'failure' : 'throttled'));
  assert.deepEqual([outcomes[0], outcomes[1], outcomes[2999]], ['first', 'counted', 'counted']);
  assert.equal(s.record('192.0.2.2', 'failure'), 'first');
  assert.equal(s.record('192.0.2.3', 'failure'), 'first');
  assert.equal(s.record('192.0.2.3', 'throttled'), 'counted');
  assert.equal(s.pending, true);
  assert.deepEqual(s.drain(), [
    { remote: '192.0.2.1', failures: 9, throttled: 2990 },
    { remote: '192.0.2.3', failures: 0, throttled: 1 },
  ]);
  assert.equal(s.pending, false);
  assert.deepEqual(s.drain(), []);
  assert.equal(s.record('192.0.2.1', 'failure'), 'first', 'a new interval tells the first again');
});

test('beyond maxSources new sources are counted together, known ones still apart', () => {
  const s = new AuthFailureSummary(2);
  assert.deepEqual(
    ['a', 'b', 'c', 'd', 'a'].map((source) => s.record(source, 'failure')),
    ['first', 'first', 'counted', 'counted', 'counted'],
  );
  assert.deepEqual(s.drain(), [
    { remote: 'a', failures: 1, throttled: 0 },
    { remote: OTHER_SOURCES, failures: 2, throttled: 0 },
  ]);
});
