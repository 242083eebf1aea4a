import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BusError, type BusErrorCode } from '@tollgate/contracts';
import { requestWithinBudget, type RequestBudget } from './request-within-budget.js';

/** What one attempt does: take `after` ms (of its timeout `t`), then answer or fail. */
type Step = (t: number) => { after: number; answer?: string; error?: unknown };
const answer =
  (after: number, value = 'ok'): Step =>
  () => ({ after, answer: value });
const fail =
  (code: BusErrorCode, after = 1): Step =>
  () => ({ after, error: new BusError(code, 'x') });
/** A responder that died holding the request: the bus gives up at the attempt's timeout. */
const dead: Step = (t) => ({ after: t, error: new BusError('timeout', 'x') });

/** A fake clock that the fake transport and the pauses advance, so the arithmetic is exact. */
async function run(budget: Omit<RequestBudget, 'clock' | 'onError'>, script: Step[]) {
  let now = 1000;
  const attempts: number[] = [];
  const failures: string[] = [];
  const clock = {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
  const send = async (timeoutMs: number) => {
    attempts.push(timeoutMs);
    const step = script[attempts.length - 1];
    assert.ok(step, `attempt ${attempts.length} was not expected`);
    const outcome = step(timeoutMs);
    now += outcome.after;
    if (outcome.error) throw outcome.error;
    return outcome.answer;
  };
  const onError = (e: unknown) => failures.push(e instanceof BusError ? e.code : String(e));
  let result: string | undefined;
  let thrown: string | undefined;
  try {
    result = await requestWithinBudget(send, { ...budget, clock, onError });
  } catch (error) {
    thrown = error instanceof BusError ? error.code : (error as Error).message;
  }
  return { result, thrown, attempts, failures, elapsed: now - 1000 };
}

// The aggregator asks a verifier like this (ask-within-budget.ts), the gateway the aggregator like
// that (request-decision.ts): a cap for the first request, one more with all that is left.
const aggregator = { attemptCapMs: 800, minAttemptMs: 50, pauseMs: 50 };
const gateway = (timeoutMs: number, reserveMs: number) => ({
  budgetMs: timeoutMs,
  attemptCapMs: timeoutMs - reserveMs,
  maxAttempts: 2,
  minRetryMs: 150,
  pauseMs: 50,
});

const cases: Array<{
  name: string;
  budget: Omit<RequestBudget, 'clock' | 'onError'>;
  script: Step[];
  result?: string;
  thrown?: string;
  attempts: number[];
  failures?: string[];
  elapsed?: number;
}> = [
  {
    name: 'a first answer is returned as it is, the attempt capped',
    budget: { ...aggregator, budgetMs: 2500 },
    script: [answer(5)],
    result: 'ok',
    attempts: [800],
    failures: [],
    elapsed: 5,
  },
  {
    name: 'a dead responder is replaced by another attempt in time',
    budget: { ...aggregator, budgetMs: 2500 },
    script: [dead, answer(7, 'valid')],
    result: 'valid',
    attempts: [800, 800],
    failures: ['timeout'],
    elapsed: 807,
  },
  {
    name: 'the last attempt only gets what is left, and none starts with less than minAttemptMs',
    budget: { ...aggregator, budgetMs: 2000 },
    script: [dead, dead, dead],
    thrown: 'timeout',
    attempts: [800, 800, 400],
    elapsed: 2000,
  },
  {
    name: 'with 40 ms left, no attempt starts at all',
    budget: { ...aggregator, budgetMs: 49 },
    script: [],
    thrown: 'timeout',
    attempts: [],
    failures: [],
    elapsed: 0,
  },
  {
    name: 'nobody listening: a pause, then another attempt',
    budget: { ...aggregator, budgetMs: 1000 },
    script: [fail('no_responders'), answer(3)],
    result: 'ok',
    attempts: [800, 800],
    elapsed: 1 + 50 + 3,
  },
  {
    name: 'closing: a pause, then another attempt',
    budget: { ...aggregator, budgetMs: 1000 },
    script: [fail('closed'), answer(3)],
    result: 'ok',
    attempts: [800, 800],
    elapsed: 54,
  },
  {
    name: 'the pause is cut so that the next attempt keeps its minimum',
    budget: { ...aggregator, budgetMs: 100 },
    script: [fail('no_responders', 20), answer(1)],
    result: 'ok',
    attempts: [100, 50],
    elapsed: 20 + 30 + 1,
  },
  {
    name: 'an internal error is not retried',
    budget: { ...aggregator, budgetMs: 2500 },
    script: [fail('internal')],
    thrown: 'internal',
    attempts: [800],
    failures: ['internal'],
  },
  {
    name: 'a bad request is not retried',
    budget: { ...aggregator, budgetMs: 2500 },
    script: [fail('bad_request')],
    thrown: 'bad_request',
    attempts: [800],
  },
  {
    name: 'an error that is not a BusError is not retried',
    budget: { ...aggregator, budgetMs: 2500 },
    script: [() => ({ after: 2, error: new Error('boom') })],
    thrown: 'boom',
    attempts: [800],
    failures: ['Error: boom'],
  },
  {
    name: 'retryOn narrows what is retried',
    budget: { ...aggregator, budgetMs: 2500, retryOn: new Set<BusErrorCode>(['timeout']) },
    script: [fail('no_responders')],
    thrown: 'no_responders',
    attempts: [800],
  },
  {
    name: 'gateway: a decision stuck on a dead replica is asked once more with the time kept back',
    budget: gateway(500, 300),
    script: [dead, answer(10, 'accept')],
    result: 'accept',
    attempts: [200, 300],
    elapsed: 210,
  },
  {
    name: 'gateway: at most two attempts; the last error is thrown',
    budget: gateway(1000, 300),
    script: [fail('no_responders'), fail('no_responders')],
    thrown: 'no_responders',
    attempts: [700, 949],
    failures: ['no_responders', 'no_responders'],
  },
  {
    name: 'gateway: one attempt with the whole deadline when nothing is kept back',
    budget: { ...gateway(150, 0), maxAttempts: 1 },
    script: [dead],
    thrown: 'timeout',
    attempts: [150],
    elapsed: 150,
  },
  {
    name: 'gateway: the first attempt goes even with less than minRetryMs',
    budget: { ...gateway(100, 0), maxAttempts: 1 },
    script: [answer(3)],
    result: 'ok',
    attempts: [100],
  },
  {
    name: 'gateway: no second request with less than minRetryMs left; the first error is thrown',
    budget: gateway(1000, 100),
    script: [fail('no_responders', 880)],
    thrown: 'no_responders',
    attempts: [900],
    elapsed: 880,
  },
];

for (const c of cases) {
  test(`requestWithinBudget: ${c.name}`, async () => {
    const r = await run(c.budget, c.script);
    assert.equal(r.result, c.result);
    assert.equal(r.thrown, c.thrown);
    assert.deepEqual(r.attempts, c.attempts);
    if (c.failures) assert.deepEqual(r.failures, c.failures);
    if (c.elapsed !== undefined) assert.equal(r.elapsed, c.elapsed);
  });
}
