import { env, loadConfig } from '@tollgate/config';

export const aggregatorConfigShape = {
  /** How long the aggregator waits for each verifier; below the gateway's decision deadline. */
  VERIFIER_TIMEOUT_MS: env.int(2500, 100, 60_000),
  /** How long a user's profile (enrolled, digits) is cached; admin changes drop it at once. */
  AGGREGATOR_CACHE_TTL_MS: env.int(60_000, 0, 3_600_000),
  /** How often buffered decisions are written to the auth log. */
  AUTH_EVENTS_FLUSH_MS: env.int(200, 10, 60_000),
};

export type AggregatorConfig = ReturnType<typeof loadAggregatorConfig>;

export function loadAggregatorConfig(source: Record<string, string | undefined>) {
  return loadConfig('aggregator', aggregatorConfigShape, source);
}
