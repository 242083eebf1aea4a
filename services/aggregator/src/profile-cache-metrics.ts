/**
 * The profile cache's hits and misses, read from the cache's own counters at scrape time (no
 * work per request): the hit ratio says how often a login was decided without a profile query.
 */
import { Counter, type Registry } from 'prom-client';

export function registerProfileCacheMetrics(registry: Registry, cache: { readonly hits: number; readonly misses: number }): void {
  if (registry.getSingleMetric('tollgate_aggregator_profile_cache_requests_total')) return;
  new Counter({
    name: 'tollgate_aggregator_profile_cache_requests_total',
    help: 'User profile lookups answered from the in-memory cache (hit) or the database (miss).',
    labelNames: ['result'],
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ result: 'hit' }, cache.hits);
      this.inc({ result: 'miss' }, cache.misses);
    },
  });
}
