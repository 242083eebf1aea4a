import type { ServiceManifest } from '@tollgate/runtime';
import { aggregatorConfigShape, loadAggregatorConfig } from './config.js';

/** aggregator's manifest: what the launcher, the banner and the deployment checks know of it. */
export const aggregator: ServiceManifest = {
  name: 'aggregator',
  description: 'decides an Access-Request: the policy, then the OTP and password (Entra, LDAP) checks, then the auth log',
  dependsOn: ['otp-verifier', 'entra-verifier', 'ldap-verifier'],
  backends: ['bus', 'database', 'state', 'syslog'],
  config: aggregatorConfigShape,
  listens: [],
  metrics: [
    'tollgate_aggregator_decisions_total',
    'tollgate_aggregator_decide_duration_seconds',
    'tollgate_aggregator_verifier_duration_seconds',
    'tollgate_aggregator_verifier_errors_total',
    'tollgate_aggregator_lock_read_failures_total',
    'tollgate_aggregator_rate_limited_total',
    'tollgate_aggregator_password_count_failures_total',
    'tollgate_aggregator_challenge_store_failures_total',
    'tollgate_aggregator_challenge_tampered_total',
    'tollgate_aggregator_auth_log_failures_total',
    'tollgate_aggregator_profile_cache_requests_total',
  ],
  bus: {
    serves: ['decide'],
    requests: ['verifyOtp', 'sendFallbackCode', 'verifyFallbackCode', 'verifyEntra', 'verifyLdap'],
    publishes: [],
    subscribes: ['configChanged'],
  },
  async create(context) {
    const config = loadAggregatorConfig(context.env);
    const { Aggregator } = await import('./aggregator.js');
    return new Aggregator(context, config);
  },
};
