import { Counter, Histogram, type Registry } from 'prom-client';
import { OtpOutcomes, type OtpOutcome } from '@tollgate/contracts';

/**
 * The otp-verifier's Prometheus metrics. Labels are fixed small sets (outcome, hit/miss):
 * never a user name, never a code.
 */
export interface OtpMetrics {
  verification(outcome: OtpOutcome | 'error'): void;
  lockout(): void;
  replay(): void;
  cacheRequest(result: 'hit' | 'miss'): void;
  observeDuration(seconds: number): void;
}

export function createOtpMetrics(registry: Registry): OtpMetrics {
  const verifications = new Counter({
    name: 'tollgate_otp_verifications_total',
    help: 'OTP verification requests by outcome (error: the request failed and the aggregator rejects).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  for (const outcome of [...OtpOutcomes, 'error']) verifications.labels(outcome).inc(0);
  const lockouts = new Counter({
    name: 'tollgate_otp_lockouts_total',
    help: 'Times a user reached the failure limit and the second factor locked.',
    registers: [registry],
  });
  const replays = new Counter({
    name: 'tollgate_otp_replays_total',
    help: 'Correct codes refused because their time step had already been used.',
    registers: [registry],
  });
  const cache = new Counter({
    name: 'tollgate_otp_cache_requests_total',
    help: 'Token lookups answered from the in-memory cache (hit) or the database (miss).',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  cache.labels('hit').inc(0);
  cache.labels('miss').inc(0);
  const duration = new Histogram({
    name: 'tollgate_otp_verify_duration_seconds',
    help: 'Time to answer one OTP verification request.',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  return {
    verification: (outcome) => verifications.labels(outcome).inc(),
    lockout: () => lockouts.inc(),
    replay: () => replays.inc(),
    cacheRequest: (result) => cache.labels(result).inc(),
    observeDuration: (seconds) => duration.observe(seconds),
  };
}
