/** The lockout rules both the otp-verifier and the aggregator apply. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_POLICY } from '@tollgate/store';
import { checkPolicy, isLocked, otpFailureKey, passwordFailureKey } from './lockout-policy.js';

test('checkPolicy: unset means the default, partial values are completed, nonsense is refused', () => {
  assert.deepEqual(checkPolicy(null), DEFAULT_POLICY);
  assert.deepEqual(checkPolicy({ otpMaxFailures: 3 }), { ...DEFAULT_POLICY, otpMaxFailures: 3 });
  // A row stored before the password limits existed gets their defaults: today's order, limits below Entra's.
  assert.deepEqual(checkPolicy({ otpMaxFailures: 3, otpLockoutSeconds: 60 }), {
    otpMaxFailures: 3,
    otpLockoutSeconds: 60,
    passwordMaxFailures: 5,
    sourceMaxFailures: 20,
    passwordFailureWindowSeconds: 900,
    verificationOrder: 'parallel',
    challengeTtlSeconds: 120,
  });
  // 0 turns a password limit off; the window and the OTP limit cannot be 0.
  assert.equal(checkPolicy({ passwordMaxFailures: 0, sourceMaxFailures: 0 }).sourceMaxFailures, 0);
  assert.equal(checkPolicy({ verificationOrder: 'otp_first' }).verificationOrder, 'otp_first');
  for (const bad of [
    { passwordMaxFailures: -1 },
    { sourceMaxFailures: 1.5 },
    { passwordFailureWindowSeconds: 0 },
    { challengeTtlSeconds: 0 },
    { verificationOrder: 'entra_first' as 'parallel' },
    { otpMaxFailures: 0 },
    { otpMaxFailures: 2.5 },
    { otpLockoutSeconds: -1 },
    { otpMaxFailures: '5' as unknown as number },
  ]) {
    assert.throws(() => checkPolicy(bad), { code: 'invalid_policy' }, JSON.stringify(bad));
  }
});

test('isLocked: at the limit and beyond, not below', () => {
  const policy = { otpMaxFailures: 3 };
  assert.deepEqual(
    [0, 2, 3, 4, 100].map((n) => isLocked(n, policy)),
    [false, false, true, true, true],
  );
});

test('otpFailureKey names the counter the otp-verifier increments', () => {
  assert.equal(otpFailureKey('alice@contoso.com'), 'otp:fail:alice@contoso.com');
});

test('passwordFailureKey names the counter the aggregator increments', () => {
  assert.equal(passwordFailureKey('alice@contoso.com'), 'pw:fail:user:alice@contoso.com');
});
