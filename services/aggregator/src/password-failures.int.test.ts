/**
 * The wrong-password counters on the real Redis and on the memory store: counted per user and
 * per source, shared by two aggregators' stores on one Redis, expiring a window after the latest
 * failure, cleared for the user (not the source) by a proven password, and a Redis that is gone
 * fails the read (the aggregator then rejects as verifier.unavailable).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStateStore, RedisStateStore, type StateStore } from '@tollgate/state';
import { TEST_REDIS_URL, uniquePrefix } from '@tollgate/testkit';
import {
  clearUserFailures,
  passwordFailureKeys,
  readPasswordFailures,
  recordPasswordFailure,
  sourceFailureKey,
} from './password-failures.js';
import { passwordLimited } from './policy.js';

const keyPrefix = `${uniquePrefix('pwfail')}:`;
const redis = new RedisStateStore({ url: TEST_REDIS_URL, keyPrefix });
// A second connection with the same prefix: another replica's view of the same counters.
const replica = new RedisStateStore({ url: TEST_REDIS_URL, keyPrefix });
await redis.connect();
await replica.connect();
const memory = new MemoryStateStore();
after(async () => {
  await redis.close();
  await replica.close();
  await memory.close();
});

const client = { id: 'c1', name: 'vpn', address: '10.0.0.0/24' };
const TIMEOUT_MS = 500;

test('the source is the Calling-Station-Id when sent, else the NAS address the packet came from', () => {
  assert.equal(sourceFailureKey({ callingStationId: '203.0.113.7', sourceAddress: '10.0.0.5', client }), 'pw:fail:station:203.0.113.7');
  assert.equal(sourceFailureKey({ callingStationId: '  ', sourceAddress: '10.0.0.5', client }), 'pw:fail:nas:10.0.0.5');
  assert.equal(sourceFailureKey({ sourceAddress: '10.0.0.5', client }), 'pw:fail:nas:10.0.0.5');
  assert.equal(sourceFailureKey({ client }), 'pw:fail:nas:10.0.0.0/24');
});

for (const [store, other] of [
  [redis, replica],
  [memory, memory],
] as Array<[StateStore, StateStore]>) {
  test(`${store.kind}: failures count per user and per source, and every replica reads the same counts`, async () => {
    const alice = passwordFailureKeys(`alice-${store.kind}@contoso.com`, { callingStationId: `198.51.100.1-${store.kind}`, client });
    const bob = passwordFailureKeys(`bob-${store.kind}@contoso.com`, { callingStationId: `198.51.100.1-${store.kind}`, client });
    assert.deepEqual(await readPasswordFailures(store, alice, TIMEOUT_MS), { user: 0, source: 0 });
    for (let i = 0; i < 3; i++) await recordPasswordFailure(store, alice, 60, TIMEOUT_MS);
    assert.deepEqual(await recordPasswordFailure(other, bob, 60, TIMEOUT_MS), { user: 1, source: 4 });
    assert.deepEqual(await readPasswordFailures(other, alice, TIMEOUT_MS), { user: 3, source: 4 });
    assert.deepEqual(await readPasswordFailures(store, bob, TIMEOUT_MS), { user: 1, source: 4 });
    const limits = { passwordMaxFailures: 3, sourceMaxFailures: 5 };
    assert.equal(passwordLimited(await readPasswordFailures(other, alice, TIMEOUT_MS), limits), true, 'alice is at her limit');
    assert.equal(passwordLimited(await readPasswordFailures(other, bob, TIMEOUT_MS), limits), false, 'bob and the source are not');
    // A proven password clears the user's count, not the source's.
    await clearUserFailures(other, alice, TIMEOUT_MS);
    assert.deepEqual(await readPasswordFailures(store, alice, TIMEOUT_MS), { user: 0, source: 4 });
  });

  test(`${store.kind}: concurrent failures are all counted`, async () => {
    const keys = passwordFailureKeys(`race-${store.kind}@contoso.com`, { sourceAddress: `10.9.9.${store.kind.length}`, client });
    await Promise.all(Array.from({ length: 20 }, (_, i) => recordPasswordFailure(i % 2 ? store : other, keys, 60, TIMEOUT_MS)));
    assert.deepEqual(await readPasswordFailures(store, keys, TIMEOUT_MS), { user: 20, source: 20 });
  });
}

test('redis: a count lives the window after the latest failure, then the user may try again', async () => {
  // The store takes milliseconds; the window is in seconds, so one second is the shortest real window.
  const keys = passwordFailureKeys('window@contoso.com', { callingStationId: '192.0.2.44', client });
  await recordPasswordFailure(redis, keys, 1, TIMEOUT_MS);
  await new Promise((r) => setTimeout(r, 600));
  await recordPasswordFailure(redis, keys, 1, TIMEOUT_MS);
  await new Promise((r) => setTimeout(r, 600));
  // 1.2 s after the first failure, 0.6 s after the latest: still counted.
  assert.deepEqual(await readPasswordFailures(redis, keys, TIMEOUT_MS), { user: 2, source: 2 });
  await new Promise((r) => setTimeout(r, 600));
  assert.deepEqual(await readPasswordFailures(redis, keys, TIMEOUT_MS), { user: 0, source: 0 });
});

test('memory: the same window on an injected clock', async () => {
  let now = 1_000_000;
  const store = new MemoryStateStore(() => now);
  try {
    const keys = passwordFailureKeys('clock@contoso.com', { callingStationId: '192.0.2.45', client });
    await recordPasswordFailure(store, keys, 900, TIMEOUT_MS);
    now += 899_000;
    await recordPasswordFailure(store, keys, 900, TIMEOUT_MS);
    now += 899_000;
    assert.deepEqual(await readPasswordFailures(store, keys, TIMEOUT_MS), { user: 2, source: 2 });
    now += 2_000;
    assert.deepEqual(await readPasswordFailures(store, keys, TIMEOUT_MS), { user: 0, source: 0 });
  } finally {
    await store.close();
  }
});

test('redis gone: the read fails (never a count of 0), so the aggregator fails closed', async () => {
  const gone = new RedisStateStore({ url: 'redis://127.0.0.1:1', keyPrefix });
  try {
    await gone.connect().catch(() => undefined);
    const keys = passwordFailureKeys('gone@contoso.com', { client });
    await assert.rejects(readPasswordFailures(gone, keys, 200), (error: { code?: string }) =>
      ['state_unavailable', 'state_timeout'].includes(String(error.code)),
    );
    await assert.rejects(recordPasswordFailure(gone, keys, 60, 200));
  } finally {
    await gone.close();
  }
});
