import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { BusError } from '@tollgate/contracts';
import { BusSeal, Keyring, installationSeals, portalBusKey, singleSeal, type SealSelector } from '@tollgate/security';
import { TEST_NATS_URL, uniquePrefix } from '@tollgate/testkit';
import { NatsBus, type BusObserver } from './index.js';

/**
 * A process with the master key seals the portal's subjects with the portal key and the rest with
 * the bus key; the portal, holding only the portal key, talks on its own subjects and opens nothing
 * else (and a bus-key process cannot talk to it on a portal subject).
 */
const closers: Array<() => Promise<void>> = [];
after(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
});

async function bus(seal: BusSeal | SealSelector, observer?: BusObserver): Promise<NatsBus> {
  const b = await NatsBus.connect({ servers: TEST_NATS_URL }, { seal, ...(observer ? { observer } : {}) });
  closers.push(() => b.drain());
  return b;
}

function refusals() {
  const seen: Array<[string, string, string]> = [];
  const observer: BusObserver = { requestDone: () => undefined, messageRefused: (s, k, r) => seen.push([s, k, r]) };
  return { seen, observer };
}

const keyring = new Keyring(randomBytes(32));

async function serveEcho(server: NatsBus, subjects: string[]): Promise<void> {
  await server.serve({
    name: 'echo',
    version: '1.0.0',
    endpoints: subjects.map((subject, i) => ({ name: `e${i}`, subject, handler: async (p) => ({ echoed: p }) })),
  });
}

test('the portal key opens portal messages of a master-key process, both ways', async () => {
  const prefix = uniquePrefix('portal-seal');
  const portalSubject = `${prefix}.portal.v1.settings`;
  const server = await bus(installationSeals(keyring));
  await serveEcho(server, [portalSubject]);
  const portal = await bus(singleSeal(new BusSeal(portalBusKey(keyring))));
  assert.deepEqual(await portal.request(portalSubject, { n: 1 }, { timeoutMs: 2000 }), { echoed: { n: 1 } });
});

test('the portal key does not open a bus-key message, and the bus key does not open a portal one', async () => {
  const prefix = uniquePrefix('portal-seal-refused');
  const radiusSubject = `${prefix}.auth.v1.verify.entra`;
  const portalSubject = `${prefix}.portal.v1.signin.link`;
  const { seen, observer } = refusals();
  const server = await bus(installationSeals(keyring), observer);
  await serveEcho(server, [radiusSubject, portalSubject]);
  // The portal's key asks a RADIUS-path subject: the server cannot open it and does not answer.
  const portal = await bus(new BusSeal(portalBusKey(keyring)));
  await assert.rejects(
    portal.request(radiusSubject, { password: 'x' }, { timeoutMs: 300 }),
    (e: unknown) => e instanceof BusError && e.code === 'timeout',
  );
  // A process with only the bus key asks a portal subject: refused the same way.
  const busOnly = await bus(BusSeal.fromKeyring(keyring));
  await assert.rejects(
    busOnly.request(portalSubject, { password: 'x' }, { timeoutMs: 300 }),
    (e: unknown) => e instanceof BusError && e.code === 'timeout',
  );
  assert.deepEqual(
    seen.filter(([, kind]) => kind === 'request').map(([s, , reason]) => [s, reason]),
    [
      [radiusSubject, 'bad_seal'],
      [portalSubject, 'bad_seal'],
    ],
  );
  // And the master-key process itself still answers both.
  const client = await bus(installationSeals(keyring));
  assert.deepEqual(await client.request(radiusSubject, 1, { timeoutMs: 2000 }), { echoed: 1 });
  assert.deepEqual(await client.request(portalSubject, 2, { timeoutMs: 2000 }), { echoed: 2 });
});
