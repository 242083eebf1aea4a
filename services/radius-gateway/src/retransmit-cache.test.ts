/** RFC 5080 duplicate detection over a StateStore: key parts, pending/answered/expired, failing store. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStateStore, type StateStore } from '@tollgate/state';
import { RetransmitCache, retransmitKey } from './retransmit-cache.js';

const identity = { address: '192.0.2.1', port: 40000, identifier: 7, authenticator: Buffer.alloc(16, 0xaa) };

test('retransmit key: every part of the RFC 5080 identity changes the key', () => {
  const base = retransmitKey(identity);
  const variants = [
    { ...identity, address: '192.0.2.2' },
    { ...identity, port: 40001 },
    { ...identity, identifier: 8 },
    { ...identity, authenticator: Buffer.alloc(16, 0xab) },
  ];
  for (const v of variants) assert.notEqual(retransmitKey(v), base);
  assert.equal(retransmitKey({ ...identity, authenticator: Buffer.alloc(16, 0xaa) }), base);
});

test('retransmit cache: new, then in flight, then answered with the same bytes, then expired', async () => {
  let now = 1_000;
  const store = new MemoryStateStore(() => now, 60_000);
  const cache = new RetransmitCache(store, { windowMs: 30_000, pendingTtlMs: 5_000 });
  const key = retransmitKey(identity);
  assert.deepEqual(await cache.begin(key, 1000), { state: 'new' });
  assert.deepEqual(await cache.begin(key, 1000), { state: 'in_flight' });
  const response = Buffer.from([2, 7, 0, 20, ...Buffer.alloc(16, 1)]);
  await cache.complete(key, response, 1000);
  const again = await cache.begin(key, 1000);
  assert.equal(again.state, 'answered');
  if (again.state === 'answered') assert.deepEqual(again.response, response);
  now += 30_001;
  assert.deepEqual(await cache.begin(key, 1000), { state: 'new' });
  await store.close();
});

test('retransmit cache: a pending marker whose owner died frees the key after its TTL', async () => {
  let now = 0;
  const store = new MemoryStateStore(() => now, 60_000);
  const cache = new RetransmitCache(store, { windowMs: 30_000, pendingTtlMs: 4_800 });
  const key = retransmitKey(identity);
  assert.equal((await cache.begin(key, 1000)).state, 'new');
  now += 4_799;
  assert.equal((await cache.begin(key, 1000)).state, 'in_flight');
  now += 2;
  assert.equal((await cache.begin(key, 1000)).state, 'new');
  await store.close();
});

test('retransmit cache: a failing store reports unavailable instead of throwing', async () => {
  const failing = {
    async setIfAbsent() {
      throw Object.assign(new Error('connection lost'), { code: 'ECONNRESET' });
    },
    async set() {
      throw new Error('connection lost');
    },
  } as unknown as StateStore;
  const cache = new RetransmitCache(failing, { windowMs: 1000, pendingTtlMs: 1000 });
  const begun = await cache.begin('k', 1000);
  assert.equal(begun.state, 'unavailable');
  await assert.rejects(cache.complete('k', Buffer.from([1]), 1000));
});

test('retransmit cache: a released marker frees the key at once, and release never throws', async () => {
  const cache = new RetransmitCache(new MemoryStateStore(), { windowMs: 30_000, pendingTtlMs: 5_000 });
  const key = retransmitKey(identity);
  assert.deepEqual(await cache.begin(key, 1000), { state: 'new' });
  await cache.release(key, 1000);
  assert.deepEqual(await cache.begin(key, 1000), { state: 'new' });
  const failing = { delete: async () => Promise.reject(new Error('down')) } as unknown as StateStore;
  await new RetransmitCache(failing, { windowMs: 30_000, pendingTtlMs: 5_000 }).release(key, 1000);
});
