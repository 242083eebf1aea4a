import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BusError } from '@tollgate/contracts';
import { askWithinBudget } from './ask-within-budget.js';

/** A fake clock that the fake transport advances, so the budget arithmetic is exact. */
function harness(script: Array<(timeoutMs: number) => { after: number; result?: unknown; error?: unknown }>) {
  let now = 0;
  const attempts: number[] = [];
  const errors: string[] = [];
  const send = async (timeoutMs: number) => {
    attempts.push(timeoutMs);
    const step = script[attempts.length - 1]!(timeoutMs);
    now += step.after;
    if (step.error) throw step.error;
    return step.result;
  };
  const options = {
    clock: {
      now: () => now,
      sleep: async (ms: number) => {
        now += ms;
      },
    },
    onError: (e: unknown) => errors.push((e as BusError).code),
  };
  return { send, options, attempts, errors, elapsed: () => now };
}

test('a first answer is returned as it is', async () => {
  const h = harness([() => ({ after: 5, result: 'ok' })]);
  assert.equal(await askWithinBudget(h.send, { deadline: 2500, attemptCapMs: 800 }, h.options), 'ok');
  assert.deepEqual(h.attempts, [800]);
});

test('a replica that died holding the request is replaced by another attempt in time', async () => {
  const h = harness([(t) => ({ after: t, error: new BusError('timeout', 'x') }), () => ({ after: 7, result: 'valid' })]);
  assert.equal(await askWithinBudget(h.send, { deadline: 2500, attemptCapMs: 800 }, h.options), 'valid');
  assert.deepEqual(h.attempts, [800, 800]);
  assert.deepEqual(h.errors, ['timeout']);
});

test('the last attempt only gets what is left of the budget, and none starts too late', async () => {
  const h = harness([
    (t) => ({ after: t, error: new BusError('timeout', 'x') }),
    (t) => ({ after: t, error: new BusError('timeout', 'x') }),
    (t) => ({ after: t, error: new BusError('timeout', 'x') }),
  ]);
  assert.equal(await askWithinBudget(h.send, { deadline: 2000, attemptCapMs: 800 }, h.options), undefined);
  assert.deepEqual(h.attempts, [800, 800, 400]);
  assert.equal(h.elapsed(), 2000);
});

test('nobody listening: pause briefly and ask again', async () => {
  const h = harness([() => ({ after: 1, error: new BusError('no_responders', 'x') }), () => ({ after: 3, result: 'ok' })]);
  assert.equal(await askWithinBudget(h.send, { deadline: 1000, attemptCapMs: 800 }, h.options), 'ok');
  assert.deepEqual(h.attempts, [800, 800]);
  assert.equal(h.elapsed(), 1 + 50 + 3);
});

test('a verifier that answered with an error is not asked again', async () => {
  for (const error of [new BusError('internal', 'db down'), new BusError('bad_request', 'upn'), new Error('boom')]) {
    const h = harness([() => ({ after: 2, error })]);
    assert.equal(await askWithinBudget(h.send, { deadline: 2500, attemptCapMs: 800 }, h.options), undefined);
    assert.equal(h.attempts.length, 1);
  }
});
