import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_REDIS_URL, startFaultProxy, uniquePrefix, type FaultProxy } from '@tollgate/testkit';
import { RedisStateStore, StateError } from './index.js';

// The real Redis behind a fault proxy: an outage fails each command within its time, and the
// store comes back by itself once Redis answers again.
const CAP_MS = 150;
let proxy: FaultProxy;
let store: RedisStateStore;

before(async () => {
  proxy = await startFaultProxy({ targetPort: Number(new URL(TEST_REDIS_URL).port || 6379), targetHost: new URL(TEST_REDIS_URL).hostname });
  store = new RedisStateStore({
    url: `redis://127.0.0.1:${proxy.port}`,
    keyPrefix: `${uniquePrefix('outage')}:`,
    commandTimeoutMs: CAP_MS,
  });
  await store.connect();
});
after(async () => {
  await store.close();
  await proxy.close();
});

/** How a command ended and how long it took. */
async function timed(run: () => Promise<unknown>): Promise<{ ms: number; code: string }> {
  const started = performance.now();
  try {
    await run();
    return { ms: performance.now() - started, code: 'ok' };
  } catch (error) {
    assert.ok(error instanceof StateError, `a StateError, not ${String(error)}`);
    return { ms: performance.now() - started, code: error.code };
  }
}

async function untilReady(ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(store.healthy() && (await timed(() => store.ping())).code === 'ok')) {
    if (Date.now() > end) assert.fail(`redis store not back within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('refused: every command fails at once (no queueing for a reconnection), then the store is back by itself', async () => {
  assert.equal((await timed(() => store.set('k', Buffer.from('v'), 5000))).code, 'ok');
  proxy.set('refuse');
  await new Promise((r) => setTimeout(r, 50));
  for (let i = 0; i < 20; i++) {
    const result = await timed(() => store.increment('fails', 5000));
    assert.equal(result.code, 'state_unavailable');
    assert.ok(result.ms < CAP_MS, `failed after ${result.ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.equal(store.healthy(), false);
  proxy.set('pass');
  await untilReady(3000);
  // Nothing tried during the outage was re-sent behind our back: the counter was never counted.
  assert.equal(await store.counter('fails'), 0);
  assert.deepEqual(await store.get('k'), Buffer.from('v'));
});

test('stalled: a command fails with state_timeout within the cap, or sooner within the caller budget; then back by itself', async () => {
  proxy.set('stall');
  const capped = await timed(() => store.get('k'));
  assert.equal(capped.code, 'state_timeout');
  assert.ok(capped.ms >= CAP_MS - 5 && capped.ms < CAP_MS + 100, `${capped.ms} ms`);
  const budgeted = await timed(() => store.setIfAbsent('marker', Buffer.from('x'), 5000, { timeoutMs: 40 }));
  assert.equal(budgeted.code, 'state_timeout');
  assert.ok(budgeted.ms < CAP_MS, `${budgeted.ms} ms`);
  // Held long enough, the stalled connection is given up and every command fails at once.
  await new Promise((r) => setTimeout(r, 1200));
  const later = await timed(() => store.get('k'));
  assert.ok(later.code !== 'ok' && later.ms < CAP_MS + 50, JSON.stringify(later));
  proxy.set('pass');
  await untilReady(3000);
  assert.deepEqual(await store.get('k'), Buffer.from('v'));
});
