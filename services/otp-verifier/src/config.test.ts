/** otp-verifier configuration keys and the stored lockout policy check. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '@tollgate/config';
import { DEFAULT_POLICY } from '@tollgate/store';
import { otpVerifierConfigShape } from './config.js';
import { checkPolicy } from './policy-source.js';

test('defaults, overrides and bounds of the OTP_* keys', () => {
  assert.deepEqual(loadConfig('otp-verifier', otpVerifierConfigShape, {}), { OTP_CACHE_TTL_MS: 60_000, OTP_CACHE_MAX_ENTRIES: 100_000 });
  assert.equal(loadConfig('otp-verifier', otpVerifierConfigShape, { OTP_CACHE_TTL_MS: '5000' }).OTP_CACHE_TTL_MS, 5000);
  for (const bad of ['abc', '999', '3600001', '1.5']) {
    assert.throws(
      () => loadConfig('otp-verifier', otpVerifierConfigShape, { OTP_CACHE_TTL_MS: bad }),
      (e: unknown) => e instanceof ConfigError && e.key === 'OTP_CACHE_TTL_MS' && e.message.startsWith('otp-verifier:'),
      bad,
    );
  }
});

test('checkPolicy: unset means the default, partial values are completed, nonsense is refused', () => {
  assert.deepEqual(checkPolicy(null), DEFAULT_POLICY);
  assert.deepEqual(checkPolicy({ otpMaxFailures: 3 }), { otpMaxFailures: 3, otpLockoutSeconds: DEFAULT_POLICY.otpLockoutSeconds });
  for (const bad of [{ otpMaxFailures: 0 }, { otpMaxFailures: 2.5 }, { otpLockoutSeconds: -1 }, { otpMaxFailures: '5' as unknown as number }]) {
    assert.throws(() => checkPolicy(bad), { code: 'invalid_policy' }, JSON.stringify(bad));
  }
});
