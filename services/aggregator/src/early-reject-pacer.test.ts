/** How long an early reject is held: a recent full decision's time, the floor, the budget. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EarlyRejectPacer } from './early-reject-pacer.js';

test('pacer: with no full decision seen yet, an early reject takes the floor', () => {
  assert.equal(new EarlyRejectPacer({ floorMs: 150 }).targetMs(2000), 150);
});

test('pacer: a recent full decision picked at random, never below the floor', () => {
  let r = 0;
  const pacer = new EarlyRejectPacer({ floorMs: 150, random: () => r });
  for (const ms of [400, 100, 900]) pacer.record(ms);
  const picks = [0, 0.34, 0.67, 0.999].map((value) => {
    r = value;
    return pacer.targetMs(2000);
  });
  assert.deepEqual(picks, [400, 150, 900, 900]);
});

test('pacer: never past the budget', () => {
  const pacer = new EarlyRejectPacer({ floorMs: 150, random: () => 0 });
  pacer.record(2600);
  assert.equal(pacer.targetMs(2470), 2470);
  assert.equal(new EarlyRejectPacer({ floorMs: 3000 }).targetMs(2470), 2470);
  assert.equal(new EarlyRejectPacer({ floorMs: 150 }).targetMs(-5), 0);
});

test('pacer: keeps only the last `window` decisions', () => {
  let r = 0;
  const pacer = new EarlyRejectPacer({ floorMs: 1, window: 2, random: () => r });
  for (const ms of [500, 600, 700]) pacer.record(ms);
  // 700 replaced 500 in the first slot.
  r = 0;
  assert.equal(pacer.targetMs(10_000), 700);
  r = 0.9;
  assert.equal(pacer.targetMs(10_000), 600);
});

test('pacer: a floor of 0 turns pacing off, and nonsense samples are ignored', () => {
  const off = new EarlyRejectPacer({ floorMs: 0 });
  off.record(500);
  assert.equal(off.targetMs(2000), 0);
  const pacer = new EarlyRejectPacer({ floorMs: 10, random: () => 0 });
  for (const ms of [Number.NaN, -1, Number.POSITIVE_INFINITY]) pacer.record(ms);
  assert.equal(pacer.targetMs(2000), 10);
});
