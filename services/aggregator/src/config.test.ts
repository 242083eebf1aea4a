/** aggregator configuration keys: the profile cache's bounds. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '@tollgate/config';
import { loadAggregatorConfig } from './config.js';

test('the profile cache holds 20,000 users unless told otherwise, between 100 and 10,000,000', () => {
  const defaults = loadAggregatorConfig({});
  assert.deepEqual([defaults.AGGREGATOR_CACHE_TTL_MS, defaults.AGGREGATOR_CACHE_MAX_ENTRIES], [60_000, 20_000]);
  assert.equal(loadAggregatorConfig({ AGGREGATOR_CACHE_MAX_ENTRIES: '500000' }).AGGREGATOR_CACHE_MAX_ENTRIES, 500_000);
  for (const bad of ['abc', '99', '10000001', '1.5', '-1']) {
    assert.throws(
      () => loadAggregatorConfig({ AGGREGATOR_CACHE_MAX_ENTRIES: bad }),
      (e: unknown) => e instanceof ConfigError && e.key === 'AGGREGATOR_CACHE_MAX_ENTRIES',
      bad,
    );
  }
});
