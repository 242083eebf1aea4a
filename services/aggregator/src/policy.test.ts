import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EntraOutcomes, OtpOutcomes } from '@tollgate/contracts';
import { issueChallenge } from './challenge-state.js';
import {
  afterChallengeCode,
  afterFallbackCode,
  afterPasswordStep,
  afterProbe,
  asksEntraAfter,
  decide,
  decideExempt,
  earlyReject,
  earlyRejectExempt,
  passwordLimited,
  type EarlyVerdict,
  type PasswordVerdict,
  type LockVerdict,
  type OtpVerdict,
} from './policy.js';
import type { UserProfile } from './user-profiles.js';

const otp = (outcome: (typeof OtpOutcomes)[number]): OtpVerdict => ({ outcome });
const entra = (outcome: (typeof EntraOutcomes)[number]): PasswordVerdict => ({ outcome });
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

const cases: Array<[OtpVerdict, PasswordVerdict, string]> = [
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

/** What was typed, with or without a code the user's token can have made. */
const WITH_CODE = 'Secret-Pass12345678';
const WITHOUT_CODE = 'Secret-Pass';
const reasonOf = (verdict: EarlyVerdict): string | undefined => ('reject' in verdict ? verdict.reject : undefined);

test('early rejects: user facts first, then the lock and the password limits (unreadable state rejects), then a missing code', () => {
  const enrolled: UserProfile = { status: 'enrolled', digits: 6 };
  const open: LockVerdict = { locked: false, rateLimited: false };
  const locked: LockVerdict = { locked: true, rateLimited: false };
  const unreadable: LockVerdict = { unavailable: true };
  const limited: LockVerdict = { locked: false, rateLimited: true };
  const lockedAndLimited: LockVerdict = { locked: true, rateLimited: true };
  const table: Array<[UserProfile, LockVerdict, string, string | undefined]> = [
    [enrolled, open, WITH_CODE, undefined],
    [enrolled, open, WITHOUT_CODE, 'request.no_otp'],
    [enrolled, locked, WITH_CODE, 'otp.locked'],
    [enrolled, locked, WITHOUT_CODE, 'otp.locked'],
    [enrolled, unreadable, WITH_CODE, 'verifier.unavailable'],
    [enrolled, unreadable, WITHOUT_CODE, 'verifier.unavailable'],
    [enrolled, limited, WITH_CODE, 'policy.rate_limited'],
    [enrolled, limited, WITHOUT_CODE, 'policy.rate_limited'],
    [enrolled, lockedAndLimited, WITH_CODE, 'otp.locked'],
    [{ status: 'unknown_user' }, limited, WITH_CODE, 'user.unknown'],
    [{ status: 'not_enrolled' }, limited, WITH_CODE, 'otp.not_enrolled'],
    [{ status: 'unknown_user' }, open, WITH_CODE, 'user.unknown'],
    [{ status: 'unknown_user' }, locked, WITH_CODE, 'user.unknown'],
    [{ status: 'unknown_user' }, unreadable, WITH_CODE, 'user.unknown'],
    [{ status: 'user_disabled' }, locked, WITH_CODE, 'user.disabled'],
    [{ status: 'not_enrolled' }, unreadable, WITHOUT_CODE, 'otp.not_enrolled'],
  ];
  for (const [profile, lock, typed, expected] of table) {
    assert.equal(reasonOf(earlyReject(profile, lock, typed)), expected, JSON.stringify({ profile, lock, typed }));
  }
});

test('early rejects: the verifiers are asked about the password and the code, split by the digits of the token', () => {
  const open: LockVerdict = { locked: false, rateLimited: false };
  assert.deepEqual(earlyReject({ status: 'enrolled', digits: 6 }, open, WITH_CODE), {
    ask: { kind: 'appended', password: 'Secret-Pass12', code: '345678' },
  });
  assert.deepEqual(earlyReject({ status: 'enrolled', digits: 8 }, open, WITH_CODE), {
    ask: { kind: 'appended', password: 'Secret-Pass', code: '12345678' },
  });
  assert.deepEqual(earlyReject({ status: 'enrolled', digits: 8 }, open, 'Secret-Pass123456'), { reject: 'request.no_otp' });
});

test('early rejects: the otpMode decides what the typed value is taken for', () => {
  const open: LockVerdict = { locked: false, rateLimited: false };
  const six: UserProfile = { status: 'enrolled', digits: 6 };
  const table: Array<[string, 'append' | 'challenge' | 'auto', EarlyVerdict]> = [
    [WITH_CODE, 'append', { ask: { kind: 'appended', password: 'Secret-Pass12', code: '345678' } }],
    [WITHOUT_CODE, 'append', { reject: 'request.no_otp' }],
    // challenge: the value is the password, digits and all; the code comes in the follow-up.
    [WITH_CODE, 'challenge', { ask: { kind: 'password_only', password: WITH_CODE } }],
    [WITHOUT_CODE, 'challenge', { ask: { kind: 'password_only', password: WITHOUT_CODE } }],
    // auto: the whole value, and its split when its last digits could be a code.
    [WITH_CODE, 'auto', { ask: { kind: 'either', whole: WITH_CODE, split: { password: 'Secret-Pass12', code: '345678' } } }],
    [WITHOUT_CODE, 'auto', { ask: { kind: 'either', whole: WITHOUT_CODE, split: undefined } }],
  ];
  for (const [typed, mode, expected] of table) {
    assert.deepEqual(earlyReject(six, open, typed, mode), expected, `${mode} ${typed}`);
  }
  // The user's state, the lock and the limits come first whatever the mode.
  for (const mode of ['challenge', 'auto'] as const) {
    assert.deepEqual(earlyReject(six, { locked: true, rateLimited: false }, WITH_CODE, mode), { reject: 'otp.locked' });
    assert.deepEqual(earlyReject(six, { locked: false, rateLimited: true }, WITH_CODE, mode), { reject: 'policy.rate_limited' });
    assert.deepEqual(earlyReject({ status: 'not_enrolled' }, open, WITH_CODE, mode), { reject: 'otp.not_enrolled' });
  }
});

test('challenge first step: only a proven MFA password is challenged; the rest rejects at once with the reason decide gives', () => {
  const challenged: string[] = [];
  for (const e of EntraOutcomes) {
    const after = afterPasswordStep(entra(e));
    if ('challenge' in after) challenged.push(e);
    else assert.deepEqual(after, decide(otp('valid'), entra(e)), e);
  }
  assert.deepEqual(challenged, ['password_ok_mfa']);
  assert.deepEqual(afterPasswordStep(down), decide(otp('valid'), down));
  assert.deepEqual(afterPasswordStep(down), { decision: 'reject', reason: 'verifier.unavailable' });
  assert.deepEqual(afterPasswordStep({ notAsked: true }), { decision: 'reject', reason: 'verifier.unavailable' });
});

test('auto probe: a valid code is the append flow, a miss the challenge flow, anything else rejects without Entra', () => {
  const table: Array<[OtpVerdict, ReturnType<typeof afterProbe>]> = [
    [otp('valid'), 'appended'],
    [otp('invalid'), 'whole'],
    [otp('replayed'), { decision: 'reject', reason: 'otp.replayed' }],
    [otp('locked'), { decision: 'reject', reason: 'otp.locked' }],
    [otp('not_enrolled'), { decision: 'reject', reason: 'otp.not_enrolled' }],
    [otp('user_disabled'), { decision: 'reject', reason: 'user.disabled' }],
    [otp('unknown_user'), { decision: 'reject', reason: 'user.unknown' }],
    [down, { decision: 'reject', reason: 'verifier.unavailable' }],
  ];
  for (const [verdict, expected] of table) assert.deepEqual(afterProbe(verdict), expected, JSON.stringify(verdict));
  assert.equal(table.length, OtpOutcomes.length + 1, 'every OTP outcome has its row');
});

test('early rejects: only an enrolled user neither locked nor limited who typed a code reaches the verifiers', () => {
  const profiles: UserProfile[] = [
    { status: 'unknown_user' },
    { status: 'user_disabled' },
    { status: 'not_enrolled' },
    { status: 'enrolled', digits: 8 },
  ];
  const locks: LockVerdict[] = [
    { locked: false, rateLimited: false },
    { locked: true, rateLimited: false },
    { locked: false, rateLimited: true },
    { unavailable: true },
  ];
  const reached: string[] = [];
  for (const profile of profiles) {
    for (const lock of locks) {
      for (const typed of [WITH_CODE, WITHOUT_CODE]) {
        if (reasonOf(earlyReject(profile, lock, typed)) === undefined) reached.push(`${profile.status}/${JSON.stringify(lock)}/${typed}`);
      }
    }
  }
  assert.deepEqual(reached, [`enrolled/{"locked":false,"rateLimited":false}/${WITH_CODE}`]);
});

test('one reason for one user state, whether the aggregator read it or the otp-verifier answered it', () => {
  for (const status of ['unknown_user', 'user_disabled', 'not_enrolled'] as const) {
    // With Entra's answer a pass, the reason is the otp-verifier's alone.
    assert.equal(
      decide(otp(status), entra('password_ok_mfa')).reason,
      reasonOf(earlyReject({ status }, { locked: false, rateLimited: false }, WITH_CODE)),
      status,
    );
  }
});

test('password limits: the user at passwordMaxFailures or the source at sourceMaxFailures, 0 is off', () => {
  const policy = { passwordMaxFailures: 5, sourceMaxFailures: 20 };
  const table: Array<[number, number, typeof policy, boolean]> = [
    [0, 0, policy, false],
    [4, 19, policy, false],
    [5, 0, policy, true],
    [6, 0, policy, true],
    [0, 20, policy, true],
    [4, 25, policy, true],
    [50, 0, { passwordMaxFailures: 0, sourceMaxFailures: 20 }, false],
    [50, 50, { passwordMaxFailures: 0, sourceMaxFailures: 0 }, false],
    [1, 0, { passwordMaxFailures: 1, sourceMaxFailures: 0 }, true],
  ];
  for (const [user, source, limits, expected] of table) {
    assert.equal(passwordLimited({ user, source }, limits), expected, JSON.stringify({ user, source, limits }));
  }
});

test('verification order: otp_first asks Entra only after a valid code; parallel asked it already', () => {
  const asked = OtpOutcomes.filter((o) => asksEntraAfter('otp_first', otp(o)));
  assert.deepEqual(asked, ['valid']);
  assert.equal(asksEntraAfter('otp_first', down), false);
  for (const o of OtpOutcomes) assert.equal(asksEntraAfter('parallel', otp(o)), false, o);
});

test('otp_first without Entra asked: the OTP answer is the reason, and nothing accepts', () => {
  const notAsked: PasswordVerdict = { notAsked: true };
  for (const o of OtpOutcomes) assert.equal(decide(otp(o), notAsked).decision, 'reject', o);
  assert.equal(decide(otp('invalid'), notAsked).reason, 'otp.invalid');
  assert.equal(decide(otp('replayed'), notAsked).reason, 'otp.replayed');
  assert.equal(decide(otp('locked'), notAsked).reason, 'otp.locked');
  assert.equal(decide(down, notAsked).reason, 'verifier.unavailable');
  // A valid code with Entra never asked is not a pass (it cannot happen; it must still fail closed).
  assert.equal(decide(otp('valid'), notAsked).reason, 'verifier.unavailable');
});

test('challenge follow-up code: valid accepts, wrong or used asks again until the attempts are spent, the rest rejects', () => {
  const record = issueChallenge({ clientId: 'c', username: 'u', sourceAddress: '192.0.2.1' }, 'u@x.org', 0, 120);
  assert.deepEqual(afterChallengeCode(record, otp('valid')), { decision: 'accept', reason: 'ok' });
  const again = afterChallengeCode(record, otp('invalid'));
  assert.ok('rechallenge' in again);
  assert.equal(again.reason, 'otp.invalid');
  assert.equal(again.rechallenge.attempts, 1);
  const used = afterChallengeCode(again.rechallenge, otp('replayed'));
  assert.ok('rechallenge' in used && used.reason === 'otp.replayed' && used.rechallenge.attempts === 2);
  // The third wrong code rejects with its reason.
  assert.deepEqual(afterChallengeCode(used.rechallenge, otp('invalid')), { decision: 'reject', reason: 'otp.invalid' });
  const table: Array<[OtpVerdict, { decision: string; reason: string }]> = [
    [otp('locked'), { decision: 'reject', reason: 'otp.locked' }],
    [otp('user_disabled'), { decision: 'reject', reason: 'user.disabled' }],
    [otp('not_enrolled'), { decision: 'reject', reason: 'otp.not_enrolled' }],
    [otp('unknown_user'), { decision: 'reject', reason: 'user.unknown' }],
    [down, { decision: 'reject', reason: 'verifier.unavailable' }],
  ];
  for (const [verdict, expected] of table) assert.deepEqual(afterChallengeCode(record, verdict), expected, JSON.stringify(verdict));
});

test('exempt members: the user must exist and be enabled, not be enrolled; the password limits apply, the code lock does not', () => {
  const open: LockVerdict = { locked: false, rateLimited: false };
  const table: Array<[UserProfile, LockVerdict, string | undefined]> = [
    [{ status: 'enrolled', digits: 6 }, open, undefined],
    [{ status: 'not_enrolled' }, open, undefined],
    [{ status: 'enrolled', digits: 6 }, { locked: true, rateLimited: false }, undefined],
    [{ status: 'unknown_user' }, open, 'user.unknown'],
    [{ status: 'user_disabled' }, open, 'user.disabled'],
    [{ status: 'user_disabled' }, { locked: false, rateLimited: true }, 'user.disabled'],
    [{ status: 'not_enrolled' }, { locked: false, rateLimited: true }, 'policy.rate_limited'],
    [{ status: 'not_enrolled' }, { unavailable: true }, 'verifier.unavailable'],
  ];
  for (const [profile, lock, expected] of table) {
    const verdict = earlyRejectExempt(profile, lock);
    assert.equal('reject' in verdict ? verdict.reject : undefined, expected, JSON.stringify({ profile, lock }));
  }
});

test('exempt members: accepted as ok.exempt when Entra proved the password, with or without MFA; else the usual reason', () => {
  const expected: Record<(typeof EntraOutcomes)[number], string> = {
    password_ok_mfa: 'ok.exempt',
    no_mfa: 'ok.exempt',
    invalid_credentials: 'entra.invalid_credentials',
    locked: 'entra.locked',
    disabled: 'entra.disabled',
    password_expired: 'entra.password_expired',
    blocked: 'entra.blocked',
    config_error: 'entra.config_error',
    throttled: 'entra.throttled',
    unavailable: 'entra.unavailable',
    not_configured: 'entra.not_configured',
  };
  for (const e of EntraOutcomes) {
    const decision = decideExempt(entra(e));
    assert.deepEqual(decision, { decision: expected[e] === 'ok.exempt' ? 'accept' : 'reject', reason: expected[e] }, e);
  }
  assert.deepEqual(decideExempt(down), { decision: 'reject', reason: 'verifier.unavailable' });
  assert.deepEqual(decideExempt({ notAsked: true }), { decision: 'reject', reason: 'verifier.unavailable' });
});

test('afterFallbackCode: a matching code accepts as ok.fallback; a wrong or expired one is an attempt', () => {
  const record = issueChallenge({ clientId: 'c', username: 'u', sourceAddress: '10.0.0.1' }, 'u@x', 0, 120);
  const table: Array<[Parameters<typeof afterFallbackCode>[1], number, string, string]> = [
    [{ outcome: 'valid' }, 0, 'accept', 'ok.fallback'],
    [{ outcome: 'valid' }, 2, 'accept', 'ok.fallback'],
    [{ outcome: 'invalid' }, 0, 'rechallenge', 'otp.invalid'],
    [{ outcome: 'expired' }, 1, 'rechallenge', 'otp.invalid'],
    [{ outcome: 'invalid' }, 2, 'reject', 'otp.invalid'],
    [{ unavailable: true }, 0, 'reject', 'verifier.unavailable'],
  ];
  for (const [verdict, attempts, expected, reason] of table) {
    const r = afterFallbackCode({ ...record, fallback: 'email', attempts }, verdict);
    const got = 'rechallenge' in r ? 'rechallenge' : r.decision;
    assert.equal(got, expected, JSON.stringify(verdict));
    assert.equal(r.reason, reason);
    if ('rechallenge' in r) assert.equal(r.rechallenge.attempts, attempts + 1);
  }
});
