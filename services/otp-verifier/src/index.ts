/**
 * otp-verifier: answers "is this TOTP code right for this user, now?" on the bus. Seeds come
 * from PostgreSQL (sealed), lockout counters from the shared state store, and the replay guard
 * is an atomic claim of the time step in PostgreSQL, so all replicas agree and restarts forget
 * nothing.
 */
import { loadConfig } from '@tollgate/config';
import type { ServiceDefinition } from '@tollgate/runtime';
import { otpVerifierConfigShape } from './config.js';
import { createOtpMetrics } from './metrics.js';
import { OtpVerifierComponent } from './otp-verifier-component.js';

export const otpVerifier: ServiceDefinition = {
  name: 'otp-verifier',
  async create(context) {
    const config = loadConfig('otp-verifier', otpVerifierConfigShape, context.env);
    const metrics = createOtpMetrics(context.metrics);
    return new OtpVerifierComponent(context, metrics, {
      cacheTtlMs: config.OTP_CACHE_TTL_MS,
      cacheMaxEntries: config.OTP_CACHE_MAX_ENTRIES,
    });
  },
};

export { otpVerifierConfigShape } from './config.js';
export { OtpVerifierComponent, type OtpVerifierSettings } from './otp-verifier-component.js';
export { createVerifyOtp, failureKey, type VerifyOtpDeps } from './verify-otp.js';
export { TokenDirectory, type TokenLookup } from './token-directory.js';
export { createOtpMetrics, type OtpMetrics } from './metrics.js';
