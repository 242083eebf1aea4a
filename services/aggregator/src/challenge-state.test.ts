import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CHALLENGE_EXPIRED_GRACE_MS,
  type ChallengeBinding,
  type StoredChallenge,
  afterCode,
  checkFollowUp,
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
