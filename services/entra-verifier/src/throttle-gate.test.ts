/** The throttle gate with a hand-driven clock. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ThrottleGate } from './throttle-gate.js';

describe('ThrottleGate', () => {
  it('stays closed for the given seconds, per key', () => {
    let now = 1_000_000;
    const gate = new ThrottleGate(() => now);
    assert.equal(gate.remainingMs('a'), 0);
    gate.block('a', 2);
    assert.equal(gate.remainingMs('a'), 2000);
    assert.equal(gate.remainingMs('b'), 0);
    now += 1500;
    assert.equal(gate.remainingMs('a'), 500);
    now += 500;
    assert.equal(gate.remainingMs('a'), 0);
  });

  it('a shorter wait never shortens a longer one; zero or negative does nothing', () => {
    let now = 0;
    const gate = new ThrottleGate(() => now);
    gate.block('a', 10);
    gate.block('a', 1);
    assert.equal(gate.remainingMs('a'), 10_000);
    gate.block('b', 0);
    gate.block('b', -3);
    gate.block('b', Number.NaN);
    assert.equal(gate.remainingMs('b'), 0);
    now = 5000;
    gate.block('a', 20);
    assert.equal(gate.remainingMs('a'), 20_000);
  });
});
