import { loadConfig } from '@tollgate/config';
import type { ServiceManifest } from '@tollgate/runtime';
import { otpVerifierConfigShape } from './config.js';

/** otp-verifier's manifest: what the launcher, the banner and the deployment checks know of it. */
export const otpVerifier: ServiceManifest = {
  name: 'otp-verifier',
  description:
    'checks a TOTP code for a user: sealed seeds in PostgreSQL, lockout counters in the state store, one claim per time step; sends and checks fallback codes by email or SMS',
  dependsOn: [],
  backends: ['bus', 'database', 'state'],
  config: otpVerifierConfigShape,
  listens: [],
  metrics: [
    'tollgate_otp_verifications_total',
    'tollgate_otp_lockouts_total',
    'tollgate_otp_replays_total',
    'tollgate_otp_cache_requests_total',
    'tollgate_otp_verify_duration_seconds',
  ],
  bus: { serves: ['verifyOtp', 'sendFallbackCode', 'verifyFallbackCode'], requests: [], publishes: [], subscribes: ['configChanged'] },
  async create(context) {
    const config = loadConfig('otp-verifier', otpVerifierConfigShape, context.env);
    const [{ createOtpMetrics }, { OtpVerifierComponent }] = await Promise.all([
      import('./metrics.js'),
      import('./otp-verifier-component.js'),
    ]);
    const metrics = createOtpMetrics(context.metrics);
    return new OtpVerifierComponent(context, metrics, {
      cacheTtlMs: config.OTP_CACHE_TTL_MS,
      cacheMaxEntries: config.OTP_CACHE_MAX_ENTRIES,
    });
  },
};
