import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type Msg, type NatsConnection } from 'nats';
import { BusError } from '@tollgate/contracts';
import { BusSeal } from '@tollgate/security';
import { TEST_BUS_SEAL, TEST_NATS_URL, uniquePrefix } from '@tollgate/testkit';
import { NatsBus, encode, type BusObserver } from './index.js';

/**
 * The bus is not a trust boundary: a plain NATS client on the same server (what anyone can run
 * against a server without authentication) reads nothing and forges nothing.
 */
const SECRET = `Secret-Pass-${randomBytes(6).toString('hex')}`;
const closers: Array<() => Promise<void>> = [];
after(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
});

async function bus(observer?: BusObserver, seal = TEST_BUS_SEAL): Promise<NatsBus> {
  const b = await NatsBus.connect({ servers: TEST_NATS_URL }, { seal, ...(observer ? { observer } : {}) });
  closers.push(() => b.drain());
  return b;
}

async function rogue(): Promise<NatsConnection> {
  const nc = await connect({ servers: TEST_NATS_URL });
  closers.push(() => nc.close());
  return nc;
}

function refusals() {
  const seen: Array<[string, string, string]> = [];
  const observer: BusObserver = {
    requestDone: () => undefined,
    messageRefused: (subject, kind, reason) => seen.push([subject, kind, reason]),
  };
  return { seen, observer };
}

test('a plain subscriber sees no payload of a request, its reply, or an event', async () => {
  const prefix = uniquePrefix('sealed');
  const watcher = await rogue();
  const captured: Msg[] = [];
  // Everything of this test's and every reply inbox (not '>': other test files' "nobody listens" cases must stay so).
  watcher.subscribe(`${prefix}.>`, { callback: (_e, msg) => captured.push(msg) });
  watcher.subscribe('_INBOX.>', { callback: (_e, msg) => captured.push(msg) });
  await watcher.flush();
  const server = await bus();
  const client = await bus();
  let received: unknown;
  await server.serve({
    name: 'sealed',
    version: '1.0.0',
    endpoints: [
      {
        name: 'echo',
        subject: `${prefix}.echo`,
        handler: async (p) => {
          received = p;
          return { echoed: SECRET };
        },
      },
    ],
  });
  server.subscribe(`${prefix}.event`, () => undefined);
  assert.deepEqual(await client.request(`${prefix}.echo`, { password: SECRET, code: '123456' }, { timeoutMs: 2000 }), { echoed: SECRET });
  assert.deepEqual(received, { password: SECRET, code: '123456' });
  client.publish(`${prefix}.event`, { note: SECRET });
  await client.connection.flush();
  await sleep(50);
  const mine = captured.filter((m) => m.subject.startsWith(prefix) || m.subject.startsWith('_INBOX'));
  assert.ok(mine.length >= 3, `saw ${mine.length} messages`);
  for (const msg of mine) {
    const wire = Buffer.from(msg.data).toString('latin1');
    assert.ok(!wire.includes(SECRET) && !wire.includes('123456') && !wire.includes('password'), `clear payload on ${msg.subject}`);
  }
});

test('a forged answer that comes first is refused and counted, and the real answer is used', async () => {
  const prefix = uniquePrefix('forged');
  const { seen, observer } = refusals();
  const server = await bus();
  const client = await bus(observer);
  await server.serve({
    name: 'slowish',
    version: '1.0.0',
    endpoints: [
      {
        name: 'verify',
        subject: `${prefix}.verify`,
        handler: async () => {
          await sleep(40);
          return { outcome: 'invalid' };
        },
      },
    ],
  });
  const attacker = await rogue();
  const earlier: Uint8Array[] = [];
  // Answers at once: in clear, and with a sealed reply it captured from an earlier exchange.
  attacker.subscribe(`${prefix}.verify`, {
    callback: (_e, msg) => {
      msg.respond(encode({ outcome: 'valid' }));
      for (const old of earlier) msg.respond(old);
    },
  });
  attacker.subscribe('_INBOX.>', { callback: (_e, msg) => earlier.push(msg.data) });
  await attacker.flush();
  assert.deepEqual(await client.request(`${prefix}.verify`, { code: '000000' }, { timeoutMs: 2000 }), { outcome: 'invalid' });
  assert.ok(earlier.length > 0, 'the attacker captured a sealed reply');
  assert.deepEqual(await client.request(`${prefix}.verify`, { code: '000000' }, { timeoutMs: 2000 }), { outcome: 'invalid' });
  assert.ok(
    seen.some(([s, kind, reason]) => s === `${prefix}.verify` && kind === 'reply' && reason === 'unsealed'),
    JSON.stringify(seen),
  );
  assert.ok(
    seen.some(([, kind, reason]) => kind === 'reply' && reason === 'bad_seal'),
    'the replayed reply does not open for another request',
  );
});

test('an unsealed request is not served, and a forged event is not delivered', async () => {
  const prefix = uniquePrefix('rogue-req');
  const { seen, observer } = refusals();
  const server = await bus(observer);
  let calls = 0;
  await server.serve({
    name: 'guarded',
    version: '1.0.0',
    endpoints: [
      {
        name: 'verify',
        subject: `${prefix}.verify`,
        handler: async () => {
          calls++;
          return { outcome: 'valid' };
        },
      },
    ],
  });
  const events: unknown[] = [];
  server.subscribe(`${prefix}.event`, (p) => events.push(p));
  const attacker = await rogue();
  await assert.rejects(
    attacker.request(`${prefix}.verify`, encode({ upn: 'alice@contoso.com', code: '000000' }), { timeout: 300 }),
    (e: { code?: string }) => e.code === 'TIMEOUT',
  );
  const client = await bus();
  assert.deepEqual(await client.request(`${prefix}.verify`, { code: '123456' }, { timeoutMs: 1000 }), { outcome: 'valid' });
  attacker.publish(`${prefix}.event`, encode({ kind: 'all' }));
  await attacker.flush();
  await sleep(50);
  assert.equal(calls, 1, 'the unsealed request reached no handler');
  assert.deepEqual(events, []);
  assert.ok(seen.some(([s, kind, reason]) => s === `${prefix}.verify` && kind === 'request' && reason === 'unsealed'));
  assert.ok(seen.some(([s, kind, reason]) => s === `${prefix}.event` && kind === 'event' && reason === 'unsealed'));
});

test('a bus sealed with another key can neither ask nor answer', async () => {
  const prefix = uniquePrefix('other-key');
  const { seen, observer } = refusals();
  const server = await bus(observer);
  await server.serve({
    name: 'mine',
    version: '1.0.0',
    endpoints: [{ name: 'verify', subject: `${prefix}.verify`, handler: async () => ({ outcome: 'valid' }) }],
  });
  const stranger = await bus(undefined, new BusSeal(randomBytes(32)));
  await assert.rejects(
    stranger.request(`${prefix}.verify`, {}, { timeoutMs: 200 }),
    (e: unknown) => e instanceof BusError && e.code === 'timeout',
  );
  assert.deepEqual(
    seen.map(([, kind, reason]) => [kind, reason]),
    [['request', 'bad_seal']],
  );
});

test('errors cross sealed, with their code', async () => {
  const prefix = uniquePrefix('sealed-error');
  const server = await bus();
  const client = await bus();
  await server.serve({
    name: 'failing',
    version: '1.0.0',
    endpoints: [
      {
        name: 'bad',
        subject: `${prefix}.bad`,
        handler: async () => {
          throw new BusError('bad_request', 'upn: invalid');
        },
      },
    ],
  });
  await assert.rejects(
    client.request(`${prefix}.bad`, {}, { timeoutMs: 1000 }),
    (e: unknown) => e instanceof BusError && e.code === 'bad_request' && e.message === 'upn: invalid',
  );
});
