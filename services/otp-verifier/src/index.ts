/**
 * otp-verifier: answers "is this TOTP code right for this user, now?" on the bus. Seeds come
 * from PostgreSQL (sealed), lockout counters from the shared state store, and the replay guard
 * is an atomic claim of the time step in PostgreSQL, so all replicas agree and restarts forget
 * nothing.
 */
export { otpVerifier } from './manifest.js';

export { otpVerifierConfigShape } from './config.js';
export { OtpVerifierComponent, type OtpVerifierSettings } from './otp-verifier-component.js';
export { createVerifyOtp, failureKey, type VerifyOtpDeps } from './verify-otp.js';
export { TokenDirectory, type TokenLookup } from './token-directory.js';
export { createOtpMetrics, type OtpMetrics } from './metrics.js';
