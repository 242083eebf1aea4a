import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CHALLENGE_EXPIRED_GRACE_MS,
  type ChallengeBinding,
  type StoredChallenge,
  FALLBACK_PROMPTS,
  afterCode,
  afterFallbackSend,
  checkFollowUp,
  fallbackRequested,
  issueChallenge,
  recordTtlMs,
} from './challenge-state.js';

const T0 = 1_800_000_000_000;
const here: ChallengeBinding = { clientId: 'c1', username: 'alice', sourceAddress: '10.0.0.1' };
const open = issueChallenge(here, 'alice@example.com', T0, 120);

test('issueChallenge binds the client, name and source, starts at 0 attempts and expires after the TTL', () => {
  assert.deepEqual(open, {
    kind: 'open',
    clientId: 'c1',
    username: 'alice',
    upn: 'alice@example.com',
    sourceAddress: '10.0.0.1',
    attempts: 0,
    expiresAt: T0 + 120_000,
    passwordProven: true,
  });
});

const followUps: Array<[string, StoredChallenge | undefined, ChallengeBinding, number, string]> = [
  ['fresh record from the same place', open, here, T0 + 1000, 'proceed'],
  ['no record', undefined, here, T0, 'challenge.unknown'],
  ['tombstone', { kind: 'spent' }, here, T0, 'challenge.replayed'],
  ['other client', open, { ...here, clientId: 'c2' }, T0, 'challenge.foreign'],
  ['other User-Name', open, { ...here, username: 'bob' }, T0, 'challenge.foreign'],
  ['other NAS source', open, { ...here, sourceAddress: '10.0.0.2' }, T0, 'challenge.foreign'],
  ['at expiry', open, here, T0 + 120_000, 'challenge.expired'],
  ['past expiry', open, here, T0 + 150_000, 'challenge.expired'],
  ['attempts exhausted', { ...open, attempts: 3 }, here, T0, 'challenge.replayed'],
  ['two wrong codes so far', { ...open, attempts: 2 }, here, T0, 'proceed'],
];

for (const [name, taken, binding, now, expected] of followUps) {
  test(`checkFollowUp: ${name} → ${expected}`, () => {
    const r = checkFollowUp(taken, binding, now);
    assert.equal(r.outcome === 'proceed' ? 'proceed' : r.reason, expected);
  });
}

const codes: Array<[number, boolean, string, number | undefined]> = [
  [0, true, 'accept', undefined],
  [2, true, 'accept', undefined],
  [0, false, 'rechallenge', 1],
  [1, false, 'rechallenge', 2],
  [2, false, 'reject', undefined], // the third wrong code
];

for (const [attempts, valid, expected, nextAttempts] of codes) {
  test(`afterCode: ${attempts} earlier wrong, code ${valid ? 'valid' : 'wrong'} → ${expected}`, () => {
    const r = afterCode({ ...open, attempts }, valid);
    assert.equal(r.outcome, expected);
    if (r.outcome === 'rechallenge') assert.equal(r.record.attempts, nextAttempts);
  });
}

test('recordTtlMs keeps the record past expiry by the grace, at least 1 ms', () => {
  assert.equal(recordTtlMs(open, T0), 120_000 + CHALLENGE_EXPIRED_GRACE_MS);
  assert.equal(recordTtlMs(open, T0 + 10_000_000), 1);
});

const requests: Array<[string, boolean, string | undefined]> = [
  ['email', true, 'email'],
  ['SMS', true, 'sms'],
  ['Email', true, 'email'],
  ['email', false, undefined],
  [' email', true, undefined],
  ['e-mail', true, undefined],
  ['123456', true, undefined],
  ['smsx', true, undefined],
];

for (const [typed, allows, expected] of requests) {
  test(`fallbackRequested: ${JSON.stringify(typed)} on a client ${allows ? 'with' : 'without'} fallbackCodes → ${expected}`, () => {
    assert.equal(fallbackRequested(typed, allows), expected);
  });
}

const sends: Array<[string, Parameters<typeof afterFallbackSend>[2], string, string, number]> = [
  ['sent by email', { outcome: 'sent', ttlSeconds: 300 }, 'challenge.fallback_sent', FALLBACK_PROMPTS.email, T0 + 300_000],
  [
    'sent, code shorter than the challenge',
    { outcome: 'sent', ttlSeconds: 60 },
    'challenge.fallback_sent',
    FALLBACK_PROMPTS.email,
    T0 + 120_000,
  ],
  ['no address', { outcome: 'no_address' }, 'challenge.fallback_unavailable', FALLBACK_PROMPTS.no_address_email, T0 + 120_000],
  ['rate limited', { outcome: 'rate_limited' }, 'challenge.fallback_unavailable', FALLBACK_PROMPTS.rate_limited, T0 + 120_000],
  ['channel disabled', { outcome: 'disabled' }, 'challenge.fallback_unavailable', FALLBACK_PROMPTS.disabled, T0 + 120_000],
  ['send failed', { outcome: 'failed' }, 'challenge.fallback_unavailable', FALLBACK_PROMPTS.failed, T0 + 120_000],
  ['verifier did not answer', { unavailable: true }, 'challenge.fallback_unavailable', FALLBACK_PROMPTS.unavailable, T0 + 120_000],
];

for (const [name, sent, reason, prompt, expiresAt] of sends) {
  test(`afterFallbackSend: ${name} → ${reason}, no attempt spent`, () => {
    const r = afterFallbackSend({ ...open, attempts: 1 }, 'email', sent, T0);
    assert.equal(r.reason, reason);
    assert.equal(r.prompt, prompt);
    assert.equal(r.record.attempts, 1);
    assert.equal(r.record.expiresAt, expiresAt);
    assert.equal(r.record.fallback, reason === 'challenge.fallback_sent' ? 'email' : undefined);
  });
}

test('afterFallbackSend by SMS says so; an unsent request keeps an earlier channel', () => {
  const sms = afterFallbackSend(open, 'sms', { outcome: 'sent', ttlSeconds: 300 }, T0);
  assert.equal(sms.prompt, 'Enter the code we sent by text message');
  assert.equal(sms.record.fallback, 'sms');
  const none = afterFallbackSend(sms.record, 'email', { outcome: 'no_address' }, T0);
  assert.equal(none.record.fallback, 'sms');
  assert.equal(
    afterFallbackSend(open, 'sms', { outcome: 'no_address' }, T0).prompt,
    'No phone number on file, enter the code from your authenticator app',
  );
});
