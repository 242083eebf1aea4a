import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chartOf, niceMax } from './chart-scale.js';

test('niceMax: a round, even bound at or above the value', () => {
  const cases: [number, number][] = [
    [0, 2],
    [1, 2],
    [2, 2],
    [3, 4],
    [4, 4],
    [5, 10],
    [10, 10],
    [11, 20],
    [21, 40],
    [41, 100],
    [999, 1000],
    [1001, 2000],
  ];
  for (const [value, expected] of cases) assert.equal(niceMax(value), expected, String(value));
});

const bucket = (at: string, accepts: number, rejectsByReason: Record<string, number> = {}, challenges = 0) => ({
  at,
  accepts,
  challenges,
  rejectsByReason,
});

test('chartOf: accepts, the five most frequent reasons by name, the rest as other, challenges only when any', () => {
  const reasons = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((reason, i) => ({ reason, count: 10 - i }));
  const { series, bars } = chartOf(
    {
      buckets: [bucket('t0', 3, { a: 2, f: 1, g: 4 }), bucket('t1', 0, { e: 1 })],
      totals: { challenges: 0 },
      rejectReasons: reasons,
    },
    (at) => `at ${at}`,
  );
  assert.deepEqual(
    series.map((s) => s.key),
    ['accept', 'reject:a', 'reject:b', 'reject:c', 'reject:d', 'reject:e', 'reject:other'],
  );
  assert.deepEqual(bars[0], { label: 'at t0', values: { accept: 3, challenge: 0, 'reject:a': 2, 'reject:other': 5 } });
  assert.deepEqual(bars[1]!.values, { accept: 0, challenge: 0, 'reject:e': 1 });

  const few = chartOf({ buckets: [bucket('t0', 1, {}, 2)], totals: { challenges: 2 }, rejectReasons: [] }, (at) => at);
  assert.deepEqual(
    few.series.map((s) => s.key),
    ['accept', 'challenge'],
  );
});
