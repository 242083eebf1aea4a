import { env, loadConfig, describeKey } from '@tollgate/config';

export const aggregatorConfigShape = {
  /**
   * The longest the aggregator waits for a verifier, and its budget when the gateway sends none.
   * Keep it above ENTRA_TIMEOUT_MS and below the gateway's RADIUS_DECISION_TIMEOUT_MS.
   */
  VERIFIER_TIMEOUT_MS: describeKey(
    env.int(2500, 100, 60_000),
    "wait for each verifier; keep above `ENTRA_TIMEOUT_MS` and below the gateway's deadline",
  ),
  /**
   * The longest one otp-verifier attempt may take before another replica is asked (its answers
   * take milliseconds; a replica that died holding the request is replaced after this).
   */
  OTP_ATTEMPT_TIMEOUT_MS: describeKey(env.int(800, 50, 60_000), 'longest one otp-verifier attempt before another replica is asked'),
  /** How long a user's profile (enrolled, digits) is cached; admin changes drop it at once. */
  AGGREGATOR_CACHE_TTL_MS: describeKey(env.int(60_000, 0, 3_600_000), 'user profile cache (admin changes drop entries at once)'),
  /**
   * Most users whose profile (and, beside it, group policy) is cached at once, oldest dropped
   * first: about 200 bytes each, so the default holds every user of the last TTL up to ~330
   * logins a second; in a larger storm the batched reads answer the rest.
   */
  AGGREGATOR_CACHE_MAX_ENTRIES: describeKey(env.int(20_000, 100, 10_000_000), 'most users whose profile and group policy are cached'),
  /**
   * The least time a reject decided without asking the verifiers takes (unknown, disabled or
   * unenrolled user, locked second factor, too many wrong passwords, no code): it is held until a recent full decision's
   * time, and at least this, has passed, so timing does not tell enrolled users apart. Never past
   * the gateway's budget. 0 answers such rejects at once.
   */
  AGGREGATOR_REJECT_FLOOR_MS: describeKey(
    env.int(150, 0, 10_000),
    "least time a reject decided without asking the verifiers takes (unknown, disabled or unenrolled user, locked second factor, too many wrong passwords, no code): it is held as long as a recent full decision took (one of the last 128, at random) and at least this, never past the gateway's budget, so timing does not tell enrolled users apart; `0` answers at once ([otp.md](docs/otp.md#early-rejects-and-timing))",
  ),
  /** How often buffered decisions are written to the auth log. */
  AUTH_EVENTS_FLUSH_MS: describeKey(env.int(200, 10, 60_000), 'how often buffered decisions are written to the auth log'),
};

export type AggregatorConfig = ReturnType<typeof loadAggregatorConfig>;

export function loadAggregatorConfig(source: Record<string, string | undefined>) {
  return loadConfig('aggregator', aggregatorConfigShape, source);
}
