/** Client registry over a store double: secret opening, skipped clients, failed and overlapping reloads. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '@tollgate/logging';
import { Keyring } from '@tollgate/security';
import type { Queryable } from '@tollgate/store';
import { ClientRegistry } from './client-registry.js';

const keyring = Keyring.fromBase64(Keyring.generateBase64());
const row = (id: string, name: string, address: string, secret: string, context = `radius-client:${id}`) => ({
  id,
  name,
  address,
  secret_sealed: keyring.seal(secret, context),
  require_message_authenticator: true,
  created_at: new Date(),
});

/** A store double whose rows and failures the test controls; counts the loads. */
function fakeDb(initial: unknown[]) {
  const db = { rows: initial, fail: false, loads: 0, gate: Promise.resolve() };
  const queryable = {
    async query() {
      db.loads++;
      await db.gate;
      if (db.fail) throw Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' });
      return { rows: db.rows, affected: 0 };
    },
    async exec() {},
  } as unknown as Queryable;
  return { db, queryable };
}

function capture() {
  const lines: string[] = [];
  return { lines, logger: createLogger('radius-gateway', { level: 'info', destination: { write: (l: string) => void lines.push(l) } }) };
}

test('registry: opens secrets with the client context; skips clients it cannot use, without logging secrets', async () => {
  const { db, queryable } = fakeDb([
    row('c1', 'vpn', '192.0.2.0/24', 'vpn-secret'),
    row('c2', 'moved', '198.51.100.1', 'moved-secret', 'radius-client:other'), // sealed for another row
    row('c3', 'typo', '300.1.1.1', 'typo-secret'),
  ]);
  const { lines, logger } = capture();
  const registry = new ClientRegistry({ db: queryable, keyring, logger });
  assert.equal(registry.loaded, false);
  await registry.reload();
  assert.equal(registry.loaded, true);
  assert.equal(db.loads, 1);
  assert.equal(registry.size, 1);
  assert.equal(registry.match('192.0.2.77')?.secret.toString(), 'vpn-secret');
  assert.equal(registry.match('198.51.100.1'), undefined);
  const text = lines.join('');
  assert.match(text, /"client":"moved"/);
  assert.match(text, /"client":"typo"/);
  for (const secret of ['vpn-secret', 'moved-secret', 'typo-secret']) assert.ok(!text.includes(secret));
});

test('registry: a failed reload throws and keeps the previous clients', async () => {
  const { db, queryable } = fakeDb([row('c1', 'vpn', '192.0.2.1', 's1')]);
  const registry = new ClientRegistry({ db: queryable, ...capture(), keyring });
  await registry.reload();
  db.fail = true;
  await assert.rejects(registry.reload());
  assert.equal(registry.match('192.0.2.1')?.name, 'vpn');
});

test('registry: a reload sees changes; overlapping reloads collapse into one more load', async () => {
  const { db, queryable } = fakeDb([row('c1', 'vpn', '192.0.2.1', 's1')]);
  const registry = new ClientRegistry({ db: queryable, ...capture(), keyring });
  let open!: () => void;
  db.gate = new Promise((resolve) => (open = resolve));
  const first = registry.reload();
  const second = registry.reload();
  const third = registry.reload();
  db.rows = [row('c1', 'vpn', '192.0.2.1', 's1'), row('c2', 'new', '192.0.2.2', 's2')];
  open();
  await Promise.all([first, second, third]);
  assert.equal(db.loads, 2, 'one load in progress plus one queued, however many reloads were asked for');
  assert.equal(registry.match('192.0.2.2')?.name, 'new');
});
