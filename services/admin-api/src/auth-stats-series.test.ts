import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuthCount } from '@tollgate/store';
import { buildSeries, windowStart, type StatsWindow } from './auth-stats-series.js';

const NOW = Date.parse('2026-12-03T10:17:42Z');
const count = (at: string, decision: AuthCount['decision'], reason: string, n: number): AuthCount => ({
  bucket: new Date(at),
  decision,
  reason,
  count: n,
});

test('the window starts so that its last bucket holds now', () => {
  const cases: [StatsWindow, string, number][] = [
    ['1h', '2026-12-03T09:20:00.000Z', 12],
    ['24h', '2026-12-02T11:00:00.000Z', 24],
  ];
  for (const [window, start, buckets] of cases) {
    assert.equal(windowStart(window, NOW).toISOString(), start, window);
    const series = buildSeries(window, NOW, []);
    assert.equal(series.buckets.length, buckets, window);
    assert.equal(series.buckets[0]!.at, start, window);
    assert.ok(Date.parse(series.buckets.at(-1)!.at) <= NOW, window);
    assert.ok(Date.parse(series.buckets.at(-1)!.at) + series.bucketSeconds * 1000 > NOW, window);
  }
});

test('counts land in their bucket by decision and reason; totals and reasons add up; out-of-window rows are left out', () => {
  const series = buildSeries('1h', NOW, [
    count('2026-12-03T09:20:00Z', 'accept', 'ok', 3),
    count('2026-12-03T09:20:00Z', 'reject', 'otp.invalid', 2),
    count('2026-12-03T10:15:00Z', 'reject', 'otp.invalid', 1),
    count('2026-12-03T10:15:00Z', 'reject', 'entra.invalid_credentials', 4),
    count('2026-12-03T10:15:00Z', 'challenge', 'challenge.sent', 1),
    count('2026-12-03T09:15:00Z', 'reject', 'too.old', 9),
  ]);
  assert.deepEqual(series.buckets[0], {
    at: '2026-12-03T09:20:00.000Z',
    accepts: 3,
    challenges: 0,
    rejects: 2,
    rejectsByReason: { 'otp.invalid': 2 },
  });
  assert.deepEqual(series.buckets[11]!.rejectsByReason, { 'otp.invalid': 1, 'entra.invalid_credentials': 4 });
  assert.equal(series.buckets[11]!.challenges, 1);
  assert.deepEqual(series.totals, { accepts: 3, challenges: 1, rejects: 7 });
  assert.deepEqual(series.rejectReasons, [
    { reason: 'entra.invalid_credentials', count: 4 },
    { reason: 'otp.invalid', count: 3 },
  ]);
  assert.equal(
    series.buckets.slice(1, 11).every((b) => b.accepts + b.rejects + b.challenges === 0),
    true,
  );
});
