import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_REDIS_URL, uniquePrefix } from '@tollgate/testkit';
import { MemoryStateStore, RedisStateStore, type StateStore } from './index.js';

const redis = new RedisStateStore({ url: TEST_REDIS_URL, keyPrefix: `${uniquePrefix('state')}:` });
await redis.connect();
const memory = new MemoryStateStore();
after(async () => {
  await redis.close();
  await memory.close();
});

for (const store of [redis, memory] as StateStore[]) {
  test(`${store.kind}: swap returns the old value once, racing callers see it only once`, async () => {
    await store.set('swap-key', Buffer.from('open'), 5000);
    const seen = await Promise.all([1, 2, 3].map(() => store.swap('swap-key', Buffer.from('spent'), 5000)));
    assert.deepEqual(seen.map((b) => b?.toString() ?? null).sort(), ['open', 'spent', 'spent']);
    assert.equal(await store.swap('swap-absent', Buffer.from('x'), 5000), null);
    assert.equal((await store.get('swap-absent'))?.toString(), 'x');
  });

  test(`${store.kind}: setIfAbsent is set-once until it expires`, async () => {
    assert.equal(await store.setIfAbsent('once', Buffer.from('a'), 200), true);
    assert.equal(await store.setIfAbsent('once', Buffer.from('b'), 200), false);
    assert.deepEqual(await store.get('once'), Buffer.from('a'));
    await new Promise((r) => setTimeout(r, 260));
    assert.equal(await store.get('once'), null);
    assert.equal(await store.setIfAbsent('once', Buffer.from('c'), 200), true);
  });

  test(`${store.kind}: binary values survive`, async () => {
    const bytes = Buffer.from([0, 255, 1, 128, 10, 13]);
    await store.set('bin', bytes, 1000);
    assert.deepEqual(await store.get('bin'), bytes);
  });

  test(`${store.kind}: counters count within their window, then reset`, async () => {
    assert.equal(await store.counter('fails'), 0);
    assert.equal(await store.increment('fails', 1000), 1);
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(await store.increment('fails', 1000), 2);
    // 1.2 s after the first increment but 0.6 s after the latest: still counting.
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(await store.counter('fails'), 2);
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(await store.counter('fails'), 0);
    assert.equal(await store.increment('fails', 1000), 1);
    await store.delete('fails');
    assert.equal(await store.counter('fails'), 0);
  });

  test(`${store.kind}: counters are read together, in order, absent ones as 0`, async () => {
    assert.deepEqual(await store.counters([]), []);
    await store.increment('many:a', 5000);
    await store.increment('many:b', 5000);
    await store.increment('many:b', 5000);
    assert.deepEqual(await store.counters(['many:b', 'many:none', 'many:a']), [2, 0, 1]);
    await store.delete('many:b');
    assert.deepEqual(await store.counters(['many:a', 'many:b']), [1, 0]);
  });

  test(`${store.kind}: concurrent increments are not lost`, async () => {
    const values = await Promise.all(Array.from({ length: 50 }, () => store.increment('race', 5000)));
    assert.deepEqual(
      [...values].sort((a, b) => a - b),
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
  });
}
