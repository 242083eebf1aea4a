import { env, describeKey } from '@tollgate/config';

/**
 * otp-verifier settings (environment variables). The policy (failures before lockout, lockout
 * length) is not here: admins change it at run time in the `policy` setting.
 */
export const otpVerifierConfigShape = {
  /** How long a user's token (decrypted seed) and the policy stay cached; config events drop them sooner. */
  OTP_CACHE_TTL_MS: describeKey(env.int(60_000, 1_000, 3_600_000), 'token and policy cache (config events drop entries at once)'),
  /**
   * Most users whose token lookup is cached at once (oldest dropped first): about 450 bytes each,
   * so the default holds every user of the last TTL up to ~330 logins a second.
   */
  OTP_CACHE_MAX_ENTRIES: describeKey(env.int(20_000, 100, 10_000_000), 'most users whose token is cached'),
};
