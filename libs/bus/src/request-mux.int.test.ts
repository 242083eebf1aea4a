import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type NatsConnection } from 'nats';
import { BusError } from '@tollgate/contracts';
import { TEST_BUS_SEAL, TEST_NATS_URL, uniquePrefix } from '@tollgate/testkit';
import { NatsBus, decode, encode } from './index.js';
import { RequestMux } from './request-mux.js';

const connections: NatsConnection[] = [];
after(async () => {
  for (const nc of connections) if (!nc.isClosed()) await nc.close();
});

async function open(): Promise<NatsConnection> {
  const nc = await connect({ servers: TEST_NATS_URL });
  connections.push(nc);
  return nc;
}

test('concurrent requests each get their own reply', async () => {
  const server = await open();
  const client = await open();
  const subject = `${uniquePrefix('mux')}.echo`;
  server.subscribe(subject, { callback: (_e, msg) => setTimeout(() => msg.respond(msg.data), Math.random() * 20) });
  await server.flush();
  const mux = new RequestMux(client);
  const replies = await Promise.all(Array.from({ length: 200 }, (_, i) => mux.request(subject, encode({ i }), { timeoutMs: 2000 })));
  assert.deepEqual(
    replies.map((m) => (decode(m.data) as { i: number }).i),
    Array.from({ length: 200 }, (_, i) => i),
  );
  assert.equal(mux.waiting, 0);
});

test('a reply after the timeout is dropped; nobody listening is no_responders', async () => {
  const server = await open();
  const client = await open();
  const prefix = uniquePrefix('mux');
  server.subscribe(`${prefix}.slow`, { callback: (_e, msg) => setTimeout(() => msg.respond(encode('late')), 150) });
  server.subscribe(`${prefix}.fast`, { callback: (_e, msg) => msg.respond(encode('fast')) });
  await server.flush();
  const mux = new RequestMux(client);
  await assert.rejects(
    mux.request(`${prefix}.slow`, encode(null), { timeoutMs: 50 }),
    (e: unknown) => e instanceof BusError && e.code === 'timeout',
  );
  assert.equal(mux.waiting, 0);
  await sleep(200);
  // The late reply reached the inbox and was ignored; the next request gets its own answer.
  assert.equal(decode((await mux.request(`${prefix}.fast`, encode(null), { timeoutMs: 1000 })).data), 'fast');
  await assert.rejects(
    mux.request(`${prefix}.nobody`, encode(null), { timeoutMs: 1000 }),
    (e: unknown) => e instanceof BusError && e.code === 'no_responders',
  );
});

test('waiting requests fail as closed when the connection closes, and later ones cannot be sent', async () => {
  const server = await open();
  const subject = `${uniquePrefix('mux')}.never`;
  server.subscribe(subject, { callback: () => undefined });
  await server.flush();
  const bus = await NatsBus.connect({ servers: TEST_NATS_URL }, { seal: TEST_BUS_SEAL });
  const pending = bus.request(subject, null, { timeoutMs: 10_000 });
  await sleep(50);
  const started = Date.now();
  await bus.connection.close();
  await assert.rejects(pending, (e: unknown) => e instanceof BusError && e.code === 'closed');
  assert.ok(Date.now() - started < 1000, 'no waiting for the timeout');
  await assert.rejects(bus.request(subject, null, { timeoutMs: 100 }), (e: unknown) => e instanceof BusError && e.code === 'closed');
});

test('NatsBus keeps a request and an event published after it in order', async () => {
  const prefix = uniquePrefix('order');
  const server = await NatsBus.connect({ servers: TEST_NATS_URL }, { seal: TEST_BUS_SEAL });
  const client = await NatsBus.connect({ servers: TEST_NATS_URL }, { seal: TEST_BUS_SEAL });
  try {
    const seen: string[] = [];
    await server.serve({
      name: 'order',
      version: '1.0.0',
      endpoints: [
        {
          name: 'work',
          subject: `${prefix}.work`,
          handler: async () => {
            seen.push('request');
            return 'ok';
          },
        },
      ],
    });
    server.subscribe(`${prefix}.event`, () => seen.push('event'));
    await server.connection.flush();
    const reply = client.request(`${prefix}.work`, null, { timeoutMs: 2000 });
    client.publish(`${prefix}.event`, { kind: 'all' });
    assert.equal(await reply, 'ok');
    for (let i = 0; i < 50 && seen.length < 2; i++) await sleep(10);
    assert.deepEqual(seen, ['request', 'event']);
  } finally {
    await client.drain();
    await server.drain();
  }
});

test('a handler result that cannot be encoded is answered as an internal error, not left to time out', async () => {
  const prefix = uniquePrefix('enc');
  const server = await NatsBus.connect({ servers: TEST_NATS_URL }, { seal: TEST_BUS_SEAL });
  const client = await NatsBus.connect({ servers: TEST_NATS_URL }, { seal: TEST_BUS_SEAL });
  try {
    await server.serve({
      name: 'enc',
      version: '1.0.0',
      endpoints: [{ name: 'big', subject: `${prefix}.big`, handler: async () => ({ n: 1n }) }],
    });
    const started = Date.now();
    await assert.rejects(
      client.request(`${prefix}.big`, null, { timeoutMs: 3000 }),
      (e: unknown) => e instanceof BusError && e.code === 'internal',
    );
    assert.ok(Date.now() - started < 1000);
  } finally {
    await client.drain();
    await server.drain();
  }
});
