import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { trace } from '@opentelemetry/api';
import { TEST_REDIS_URL, startInMemoryTracing, uniquePrefix } from '@tollgate/testkit';
import { MemoryStateStore, RedisStateStore, type StateStore } from './index.js';

// Each operation inside a request's span makes a `redis <COMMAND>` child, naming neither key nor value.
const tracing = await startInMemoryTracing();
const redis = new RedisStateStore({ url: TEST_REDIS_URL, keyPrefix: `${uniquePrefix('state-span')}:` });
await redis.connect();
const memory = new MemoryStateStore();
after(async () => {
  await redis.close();
  await memory.close();
  await tracing.shutdown();
});

for (const store of [redis, memory] as StateStore[]) {
  test(`${store.kind}: operations are child spans of the request, keys and values never recorded`, async () => {
    tracing.reset();
    const key = 'lockout:alice@contoso.com';
    await trace.getTracer('test').startActiveSpan('request', async (span) => {
      await store.setIfAbsent(key, Buffer.from('value-secret-1'), 1000);
      await store.get(key);
      await store.increment(`${key}:n`, 1000);
      await store.delete(key);
      span.end();
    });
    await store.get(key); // outside any request: no span
    const request = tracing.spans().find((s) => s.name === 'request')!;
    const ops = tracing.spans().filter((s) => s !== request);
    const command = store.kind === 'redis' ? 'EVALSHA' : 'INCR';
    assert.deepEqual(
      ops.map((s) => s.name),
      [`${store.kind} SET`, `${store.kind} GET`, `${store.kind} ${command}`, `${store.kind} DEL`],
    );
    for (const op of ops) assert.equal(op.parentSpanContext?.spanId, request.spanContext().spanId);
    if (store.kind === 'redis') assert.equal(ops[0]!.attributes['db.system'], 'redis');
    const text = JSON.stringify(ops.map((s) => [s.name, s.attributes]));
    assert.ok(!text.includes('alice') && !text.includes('value-secret-1'), text);
  });
}
