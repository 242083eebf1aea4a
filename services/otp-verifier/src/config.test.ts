/** otp-verifier configuration keys. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '@tollgate/config';
import { otpVerifierConfigShape } from './config.js';

test('defaults, overrides and bounds of the OTP_* keys', () => {
  assert.deepEqual(loadConfig('otp-verifier', otpVerifierConfigShape, {}), { OTP_CACHE_TTL_MS: 60_000, OTP_CACHE_MAX_ENTRIES: 20_000 });
  assert.equal(loadConfig('otp-verifier', otpVerifierConfigShape, { OTP_CACHE_TTL_MS: '5000' }).OTP_CACHE_TTL_MS, 5000);
  for (const bad of ['abc', '999', '3600001', '1.5']) {
    assert.throws(
      () => loadConfig('otp-verifier', otpVerifierConfigShape, { OTP_CACHE_TTL_MS: bad }),
      (e: unknown) => e instanceof ConfigError && e.key === 'OTP_CACHE_TTL_MS' && e.message.startsWith('otp-verifier:'),
      bad,
    );
  }
});
