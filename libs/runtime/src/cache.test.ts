import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TtlCache } from './cache.js';

test('caches until the TTL passes, and counts hits and misses', async () => {
  let now = 0;
  let loads = 0;
  const cache = new TtlCache<string, number>({ ttlMs: 100, now: () => now });
  const load = async () => ++loads;
  assert.equal(await cache.get('a', load), 1);
  assert.equal(await cache.get('a', load), 1);
  now = 101;
  assert.equal(await cache.get('a', load), 2);
  assert.deepEqual([cache.hits, cache.misses], [1, 2]);
});

test('concurrent misses share one load', async () => {
  let loads = 0;
  const cache = new TtlCache<string, number>({ ttlMs: 1000 });
  const load = () => new Promise<number>((r) => setTimeout(() => r(++loads), 10));
  const values = await Promise.all([cache.get('k', load), cache.get('k', load), cache.get('k', load)]);
  assert.deepEqual(values, [1, 1, 1]);
  assert.equal(loads, 1);
});

test('an invalidation during a load keeps the stale value out', async () => {
  const cache = new TtlCache<string, string>({ ttlMs: 1000 });
  let release!: (v: string) => void;
  const first = cache.get('k', () => new Promise((r) => (release = r)));
  cache.delete('k');
  release('stale');
  assert.equal(await first, 'stale');
  assert.equal(await cache.get('k', async () => 'fresh'), 'fresh');
});

test('failed loads are not cached', async () => {
  const cache = new TtlCache<string, string>({ ttlMs: 1000 });
  await assert.rejects(cache.get('k', async () => Promise.reject(new Error('db down'))));
  assert.equal(await cache.get('k', async () => 'ok'), 'ok');
});

test('the size bound evicts the oldest entry', async () => {
  const cache = new TtlCache<number, number>({ ttlMs: 1000, maxEntries: 2 });
  for (const k of [1, 2, 3]) await cache.get(k, async (x) => x);
  assert.equal(cache.size, 2);
  let reloaded = false;
  await cache.get(1, async (x) => {
    reloaded = true;
    return x;
  });
  assert.equal(reloaded, true);
});

test('expired entries leave the map as new ones arrive, before the size bound is reached', async () => {
  let now = 0;
  const cache = new TtlCache<number, number>({ ttlMs: 100, maxEntries: 1000, now: () => now });
  for (let k = 0; k < 10; k++) {
    await cache.get(k, async (x) => x);
    now += 20;
  }
  // Stored at 0, 20, ..., 180; at 200 the ones stored up to 100 have expired.
  await cache.get(10, async (x) => x);
  assert.equal(cache.size, 5, 'the entries of 120, 140, 160, 180 and the new one');
});

test('an entry stored again moves to the end: it outlives older ones and is not dropped before its time', async () => {
  let now = 0;
  const cache = new TtlCache<string, number>({ ttlMs: 100, now: () => now });
  let loads = 0;
  const load = async () => ++loads;
  await cache.get('a', load);
  now = 50;
  await cache.get('b', load);
  now = 101;
  await cache.get('a', load); // expired: loaded again (3), now the newest
  now = 160;
  await cache.get('c', load); // b (expired at 150) goes, a (until 201) stays
  assert.equal(cache.size, 2);
  assert.equal(await cache.get('a', load), 3);
  assert.deepEqual([cache.hits, loads], [1, 4]);
});
