import { env, loadConfig } from '@tollgate/config';

export const aggregatorConfigShape = {
  /**
   * The longest the aggregator waits for a verifier, and its budget when the gateway sends none.
   * Keep it above ENTRA_TIMEOUT_MS and below the gateway's RADIUS_DECISION_TIMEOUT_MS.
   */
  VERIFIER_TIMEOUT_MS: env.int(2500, 100, 60_000),
  /**
   * The longest one otp-verifier attempt may take before another replica is asked (its answers
   * take milliseconds; a replica that died holding the request is replaced after this).
   */
  OTP_ATTEMPT_TIMEOUT_MS: env.int(800, 50, 60_000),
  /** How long a user's profile (enrolled, digits) is cached; admin changes drop it at once. */
  AGGREGATOR_CACHE_TTL_MS: env.int(60_000, 0, 3_600_000),
  /**
   * The least time a reject decided without asking the verifiers takes (unknown, disabled or
   * unenrolled user, locked second factor, no code): it is held until a recent full decision's
   * time, and at least this, has passed, so timing does not tell enrolled users apart. Never past
   * the gateway's budget. 0 answers such rejects at once.
   */
  AGGREGATOR_REJECT_FLOOR_MS: env.int(150, 0, 10_000),
  /** How often buffered decisions are written to the auth log. */
  AUTH_EVENTS_FLUSH_MS: env.int(200, 10, 60_000),
};

export type AggregatorConfig = ReturnType<typeof loadAggregatorConfig>;

export function loadAggregatorConfig(source: Record<string, string | undefined>) {
  return loadConfig('aggregator', aggregatorConfigShape, source);
}
