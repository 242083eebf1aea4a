/** The OTP decision with in-memory fakes for the store, state and clock. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { BusError } from '@tollgate/contracts';
import { createLogger } from '@tollgate/logging';
import { MemoryStateStore, type StateStore } from '@tollgate/state';
import { generateSeed, generateTotp, parseBase32Seed } from '@tollgate/totp';
import { createVerifyOtp, failureKey } from './verify-otp.js';
import type { TokenLookup } from './token-directory.js';
import type { OtpMetrics } from './metrics.js';

const NOW = 1_750_000_012_345;
const POLICY = { otpMaxFailures: 3, otpLockoutSeconds: 60 };

function setup(options: { state?: Pick<StateStore, 'counter' | 'increment' | 'delete'> } = {}) {
  const seedText = generateSeed();
  const seed = parseBase32Seed(seedText).bytes;
  const directory = new Map<string, TokenLookup>([
    ['alice@x.org', { status: 'enrolled', seed, digits: 6, period: 30, algorithm: 'SHA1' }],
    ['dave@x.org', { status: 'user_disabled' }],
    ['erin@x.org', { status: 'not_enrolled' }],
  ]);
  const lastStep = new Map<string, number>();
  const claims: Array<[string, number]> = [];
  const counts = { lockout: 0, replay: 0, outcomes: [] as string[], hits: 0 };
  const metrics: OtpMetrics = {
    verification: (o) => counts.outcomes.push(o),
    lockout: () => counts.lockout++,
    replay: () => counts.replay++,
    cacheRequest: () => counts.hits++,
    observeDuration: () => undefined,
  };
  let logText = '';
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logText += String(chunk);
      done();
    },
  });
  const state = new MemoryStateStore();
  const verify = createVerifyOtp({
    lookup: async (upn) => directory.get(upn) ?? { status: 'unknown_user' },
    policy: async () => POLICY,
    claimStep: async (upn, step) => {
      claims.push([upn, step]);
      if ((lastStep.get(upn) ?? -1) >= step) return false;
      lastStep.set(upn, step);
      return true;
    },
    state: options.state ?? state,
    now: () => NOW,
    metrics,
    logger: createLogger('otp-verifier-test', { level: 'debug', destination }),
  });
  const code = (offsetSteps = 0) =>
    generateTotp({ secret: seed, digits: 6, period: 30, algorithm: 'SHA1', nowMs: NOW + offsetSteps * 30_000 });
  const wrong = () => {
    const near = new Set([-2, -1, 0, 1, 2].map((o) => code(o)));
    for (let n = 0; ; n++) {
      const candidate = String(n).padStart(6, '0');
      if (!near.has(candidate)) return candidate;
    }
  };
  return { verify, code, wrong, state, claims, counts, seedText, logs: () => logText };
}

test('user states are answered before any code is checked or counted', async () => {
  const s = setup();
  assert.deepEqual(await s.verify({ upn: 'nobody@x.org', code: '123456' }), { outcome: 'unknown_user' });
  assert.deepEqual(await s.verify({ upn: 'dave@x.org', code: s.code() }), { outcome: 'user_disabled' });
  assert.deepEqual(await s.verify({ upn: 'erin@x.org', code: '123456' }), { outcome: 'not_enrolled' });
  assert.equal(await s.state.counter(failureKey('nobody@x.org')), 0);
  assert.deepEqual(s.claims, []);
  assert.deepEqual(s.counts.outcomes, ['unknown_user', 'user_disabled', 'not_enrolled']);
});

test('a right code is valid once; the same code again is replayed and not counted as a failure', async () => {
  const s = setup();
  const code = s.code();
  assert.deepEqual(await s.verify({ upn: 'alice@x.org', code }), { outcome: 'valid' });
  assert.deepEqual(await s.verify({ upn: 'alice@x.org', code }), { outcome: 'replayed' });
  // the previous step's code is older than the claimed step: replayed too
  assert.deepEqual(await s.verify({ upn: 'alice@x.org', code: s.code(-1) }), { outcome: 'replayed' });
  // the next step's code (clock drift ahead) is newer: accepted
  assert.deepEqual(await s.verify({ upn: 'alice@x.org', code: s.code(1) }), { outcome: 'valid' });
  assert.equal(await s.state.counter(failureKey('alice@x.org')), 0);
  assert.equal(s.counts.replay, 2);
});

test('wrong codes count up, lock at the limit (one lockout), and a right code is then locked without being used', async () => {
  const s = setup();
  assert.deepEqual(await s.verify({ upn: 'alice@x.org', code: s.wrong() }), { outcome: 'invalid', failures: 1 });
  assert.deepEqual(await s.verify({ upn: 'alice@x.org', code: s.wrong() }), { outcome: 'invalid', failures: 2 });
  assert.deepEqual(await s.verify({ upn: 'alice@x.org', code: s.wrong() }), { outcome: 'locked' });
  assert.equal(s.counts.lockout, 1);
  assert.deepEqual(await s.verify({ upn: 'alice@x.org', code: s.wrong() }), { outcome: 'locked' });
  assert.deepEqual(await s.verify({ upn: 'alice@x.org', code: s.code() }), { outcome: 'locked' });
  assert.equal(s.counts.lockout, 1, 'the lock is counted once');
  assert.deepEqual(s.claims, [], 'a locked user never consumes a step');
  // the UPN is case-insensitive, so is its counter
  assert.deepEqual(await s.verify({ upn: 'ALICE@x.org', code: s.code() }), { outcome: 'locked' });
});

test('a probe that misses is invalid without counting; a probe that hits is claimed like any code', async () => {
  const s = setup();
  for (let i = 0; i < POLICY.otpMaxFailures + 2; i++) {
    assert.deepEqual(await s.verify({ upn: 'alice@x.org', code: s.wrong(), probe: true }), { outcome: 'invalid' });
  }
  assert.equal(await s.state.counter(failureKey('alice@x.org')), 0, 'missed probes never lock the user');
  assert.deepEqual(s.claims, []);
  const code = s.code();
  assert.deepEqual(await s.verify({ upn: 'alice@x.org', code, probe: true }), { outcome: 'valid' });
  assert.deepEqual(await s.verify({ upn: 'alice@x.org', code, probe: true }), { outcome: 'replayed' }, 'a probe cannot reuse a code');
  // A probe of a locked user's right code is locked, as a code would be.
  for (let i = 0; i < POLICY.otpMaxFailures; i++) await s.verify({ upn: 'alice@x.org', code: s.wrong() });
  assert.deepEqual(await s.verify({ upn: 'alice@x.org', code: s.code(1), probe: true }), { outcome: 'locked' });
  assert.deepEqual(await s.verify({ upn: 'erin@x.org', code: '123456', probe: true }), { outcome: 'not_enrolled' });
});

test('a valid code resets the failure counter', async () => {
  const s = setup();
  await s.verify({ upn: 'alice@x.org', code: s.wrong() });
  await s.verify({ upn: 'alice@x.org', code: s.wrong() });
  assert.deepEqual(await s.verify({ upn: 'alice@x.org', code: s.code() }), { outcome: 'valid' });
  assert.equal(await s.state.counter(failureKey('alice@x.org')), 0);
  assert.deepEqual(await s.verify({ upn: 'alice@x.org', code: s.wrong() }), { outcome: 'invalid', failures: 1 });
});

test('a burst of parallel wrong guesses is counted guess by guess: a right code queued behind them is locked', async () => {
  const s = setup();
  const burst = Array.from({ length: 6 }, () => s.verify({ upn: 'alice@x.org', code: s.wrong() }));
  burst.push(s.verify({ upn: 'alice@x.org', code: s.code() }));
  const outcomes = (await Promise.all(burst)).map((r) => r.outcome);
  assert.deepEqual(outcomes, ['invalid', 'invalid', 'locked', 'locked', 'locked', 'locked', 'locked']);
  assert.equal(s.counts.lockout, 1);
  assert.deepEqual(s.claims, []);
});

test('state-store failures fail closed: the request errors, no step is claimed', async () => {
  const broken = {
    counter: async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
    },
    increment: async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
    },
    delete: async () => undefined,
  };
  const s = setup({ state: broken });
  for (const code of [s.code(), s.wrong()]) {
    await assert.rejects(s.verify({ upn: 'alice@x.org', code }), (e: unknown) => e instanceof BusError && e.code === 'internal');
  }
  assert.deepEqual(s.claims, []);
  assert.deepEqual(s.counts.outcomes, ['error', 'error']);
  assert.match(s.logs(), /otp verification failed/);
});

test('a failed counter reset after a valid code is logged and the answer stays valid', async () => {
  const memory = new MemoryStateStore();
  const state = {
    counter: (k: string) => memory.counter(k),
    increment: (k: string, t: number) => memory.increment(k, t),
    delete: async () => {
      throw new Error('redis went away');
    },
  };
  const s = setup({ state });
  await s.verify({ upn: 'alice@x.org', code: s.wrong() });
  assert.deepEqual(await s.verify({ upn: 'alice@x.org', code: s.code() }), { outcome: 'valid' });
  assert.match(s.logs(), /could not reset the failure counter/);
});

test('bad payloads are bad_request naming the field, never echoing the code', async () => {
  const s = setup();
  const cases: Array<[unknown, string]> = [
    [{ upn: 'alice@x.org', code: '12345' }, 'code'],
    [{ upn: 'alice@x.org', code: '12345a' }, 'code'],
    [{ upn: '', code: '123456' }, 'upn'],
    [null, 'payload'],
  ];
  for (const [payload, field] of cases) {
    await assert.rejects(s.verify(payload), (e: unknown) => {
      return e instanceof BusError && e.code === 'bad_request' && e.message.endsWith(field) && !/12345/.test(e.message);
    });
  }
});

test('logs name the user and outcome but never the code or the seed', async () => {
  const s = setup();
  const codes = [s.code(), s.wrong(), s.code(1)];
  for (const code of codes) await s.verify({ upn: 'alice@x.org', code });
  await s.verify({ upn: 'alice@x.org', code: codes[0] });
  const logs = s.logs();
  assert.match(logs, /alice@x\.org/);
  assert.match(logs, /"outcome":"replayed"/);
  for (const code of codes) assert.ok(!logs.includes(code), 'a code reached the log');
  assert.ok(!logs.includes(s.seedText), 'the seed reached the log');
});

test('every state-store call fits in the time the request has left', async () => {
  const given: Array<[string, number | undefined]> = [];
  const inner = new MemoryStateStore();
  const recording: Pick<StateStore, 'counter' | 'increment' | 'delete'> = {
    increment: (key, ttl, options) => {
      given.push(['increment', options?.timeoutMs]);
      return inner.increment(key, ttl);
    },
    counter: (key, options) => {
      given.push(['counter', options?.timeoutMs]);
      return inner.counter(key);
    },
    delete: (key, options) => {
      given.push(['delete', options?.timeoutMs]);
      return inner.delete(key);
    },
  };
  const { verify, code, wrong } = setup({ state: recording });
  await verify({ upn: 'alice@x.org', code: wrong(), timeoutMs: 300 });
  await verify({ upn: 'alice@x.org', code: code(), timeoutMs: 300 });
  await verify({ upn: 'alice@x.org', code: wrong() });
  assert.deepEqual(
    given.map(([op]) => op),
    ['increment', 'counter', 'delete', 'increment'],
  );
  for (const [op, timeoutMs] of given.slice(0, 3))
    assert.ok(timeoutMs !== undefined && timeoutMs > 0 && timeoutMs <= 300, `${op} got ${timeoutMs}`);
  assert.equal(given[3]![1], undefined, "no budget given: the store's own cap applies");
});
