/** The lockout rules both the otp-verifier and the aggregator apply. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_POLICY } from '@tollgate/store';
import { checkPolicy, isLocked, otpFailureKey } from './lockout-policy.js';

test('checkPolicy: unset means the default, partial values are completed, nonsense is refused', () => {
  assert.deepEqual(checkPolicy(null), DEFAULT_POLICY);
  assert.deepEqual(checkPolicy({ otpMaxFailures: 3 }), { otpMaxFailures: 3, otpLockoutSeconds: DEFAULT_POLICY.otpLockoutSeconds });
  for (const bad of [
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
