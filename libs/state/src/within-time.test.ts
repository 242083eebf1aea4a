import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandTimeout, withinTime } from './within-time.js';
import { StateError } from './state-error.js';

test('commandTimeout: the cap, narrowed by the budget, never below 1 ms', () => {
  const cases: Array<[number, number | undefined, number]> = [
    [250, undefined, 250],
    [250, 1000, 250],
    [250, 120.7, 120],
    [250, 0, 1],
    [250, -40, 1],
    [250, Number.POSITIVE_INFINITY, 250],
  ];
  for (const [cap, budget, expected] of cases) assert.equal(commandTimeout(cap, budget), expected, `cap ${cap}, budget ${budget}`);
});

test('withinTime: an answer in time passes through, value or error', async () => {
  assert.equal(await withinTime(Promise.resolve(7), 50, 'get'), 7);
  await assert.rejects(withinTime(Promise.reject(new Error('boom')), 50, 'get'), /boom/);
});

test('withinTime: no answer in time rejects with state_timeout naming the operation; a late rejection is swallowed', async () => {
  let rejectLate!: (e: Error) => void;
  const never = new Promise<number>((_, reject) => (rejectLate = reject));
  const started = performance.now();
  await assert.rejects(withinTime(never, 30, 'setIfAbsent'), (error: unknown) => {
    assert.ok(error instanceof StateError);
    assert.equal(error.code, 'state_timeout');
    assert.match(error.message, /setIfAbsent.*30 ms/);
    return true;
  });
  const waited = performance.now() - started;
  assert.ok(waited >= 25 && waited < 500, `waited ${waited} ms`);
  // Would be an unhandledRejection (failing the test run) if withinTime did not swallow it.
  rejectLate(new Error('connection lost'));
  await new Promise((r) => setTimeout(r, 10));
});
