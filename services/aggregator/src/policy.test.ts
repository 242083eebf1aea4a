import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EntraOutcomes, OtpOutcomes } from '@tollgate/contracts';
import { decide, earlyReject, type EntraVerdict, type LockVerdict, type OtpVerdict } from './policy.js';
import type { UserProfile } from './user-profiles.js';

const otp = (outcome: (typeof OtpOutcomes)[number]): OtpVerdict => ({ outcome });
const entra = (outcome: (typeof EntraOutcomes)[number]): EntraVerdict => ({ outcome });
const down = { unavailable: true } as const;

test('accepts only a proven MFA password with a valid code', () => {
  const accepted: string[] = [];
  for (const o of OtpOutcomes) {
    for (const e of EntraOutcomes) {
      if (decide(otp(o), entra(e)).decision === 'accept') accepted.push(`${o}+${e}`);
    }
    assert.equal(decide(otp(o), down).decision, 'reject');
  }
  for (const e of EntraOutcomes) assert.equal(decide(down, entra(e)).decision, 'reject');
  assert.deepEqual(accepted, ['valid+password_ok_mfa']);
  assert.deepEqual(decide(down, down), { decision: 'reject', reason: 'verifier.unavailable' });
});

test('a token-issued (no MFA) account is refused even with a valid code', () => {
  assert.deepEqual(decide(otp('valid'), entra('no_mfa')), { decision: 'reject', reason: 'entra.no_mfa' });
});

const cases: Array<[OtpVerdict, EntraVerdict, string]> = [
  [otp('invalid'), entra('password_ok_mfa'), 'otp.invalid'],
  [otp('replayed'), entra('password_ok_mfa'), 'otp.replayed'],
  [otp('not_enrolled'), entra('password_ok_mfa'), 'otp.not_enrolled'],
  [otp('valid'), entra('invalid_credentials'), 'entra.invalid_credentials'],
  [otp('invalid'), entra('invalid_credentials'), 'entra.invalid_credentials'],
  [otp('locked'), entra('invalid_credentials'), 'otp.locked'],
  [otp('locked'), entra('password_ok_mfa'), 'otp.locked'],
  [otp('user_disabled'), entra('password_ok_mfa'), 'user.disabled'],
  [otp('unknown_user'), entra('invalid_credentials'), 'user.unknown'],
  [otp('valid'), entra('locked'), 'entra.locked'],
  [otp('valid'), entra('disabled'), 'entra.disabled'],
  [otp('valid'), entra('password_expired'), 'entra.password_expired'],
  [otp('valid'), entra('blocked'), 'entra.blocked'],
  [otp('valid'), entra('config_error'), 'entra.config_error'],
  [otp('valid'), entra('throttled'), 'entra.throttled'],
  [otp('valid'), entra('not_configured'), 'entra.not_configured'],
  [otp('valid'), entra('unavailable'), 'entra.unavailable'],
  [otp('invalid'), entra('unavailable'), 'otp.invalid'],
  [otp('valid'), down, 'verifier.unavailable'],
  [down, entra('password_ok_mfa'), 'verifier.unavailable'],
  [down, entra('invalid_credentials'), 'entra.invalid_credentials'],
];

for (const [o, e, reason] of cases) {
  test(`reason for otp=${JSON.stringify(o)} entra=${JSON.stringify(e)} is ${reason}`, () => {
    assert.deepEqual(decide(o, e), { decision: 'reject', reason });
  });
}

test('early rejects: user facts first, then the lock (an unreadable lock rejects), then a missing code', () => {
  const enrolled: UserProfile = { status: 'enrolled', digits: 6 };
  const open: LockVerdict = { locked: false };
  const locked: LockVerdict = { locked: true };
  const unreadable: LockVerdict = { unavailable: true };
  const table: Array<[UserProfile, LockVerdict, boolean, string | undefined]> = [
    [enrolled, open, true, undefined],
    [enrolled, open, false, 'request.no_otp'],
    [enrolled, locked, true, 'otp.locked'],
    [enrolled, locked, false, 'otp.locked'],
    [enrolled, unreadable, true, 'verifier.unavailable'],
    [enrolled, unreadable, false, 'verifier.unavailable'],
    [{ status: 'unknown' }, open, true, 'user.unknown'],
    [{ status: 'unknown' }, locked, true, 'user.unknown'],
    [{ status: 'unknown' }, unreadable, true, 'user.unknown'],
    [{ status: 'disabled' }, locked, true, 'user.disabled'],
    [{ status: 'not_enrolled' }, unreadable, false, 'otp.not_enrolled'],
  ];
  for (const [profile, lock, hasCode, expected] of table) {
    assert.equal(earlyReject(profile, lock, hasCode), expected, JSON.stringify({ profile, lock, hasCode }));
  }
});

test('early rejects: only an enrolled user whose lock reads open and who typed a code reaches the verifiers', () => {
  const profiles: UserProfile[] = [{ status: 'unknown' }, { status: 'disabled' }, { status: 'not_enrolled' }, { status: 'enrolled', digits: 8 }];
  const locks: LockVerdict[] = [{ locked: false }, { locked: true }, { unavailable: true }];
  const reached: string[] = [];
  for (const profile of profiles) {
    for (const lock of locks) {
      for (const hasCode of [true, false]) {
        if (earlyReject(profile, lock, hasCode) === undefined) reached.push(`${profile.status}/${JSON.stringify(lock)}/${hasCode}`);
      }
    }
  }
  assert.deepEqual(reached, ['enrolled/{"locked":false}/true']);
});
