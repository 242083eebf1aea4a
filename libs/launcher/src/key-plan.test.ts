import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ConfigError } from '@tollgate/config';
import { BusSeal, Keyring, portalBusKey } from '@tollgate/security';
import { masterKeys, planKeys, portalOnlyKeys } from './key-plan.js';
import { absentBackend, AbsentBackendError } from './absent-backend.js';

const master = { secrets: 'master-key' as const };
const unsaid = {};
const portal = { secrets: 'portal-key' as const };

for (const [name, services, plan] of [
  ['the portal alone', [portal], 'portal-key'],
  ['the portal with a master-key service', [portal, master], 'master-key'],
  ['the portal with a service that says nothing (the default)', [portal, unsaid], 'master-key'],
  ['master-key services', [master, unsaid], 'master-key'],
  ['nothing', [], 'master-key'],
] as const) {
  test(`planKeys: ${name} -> ${plan}`, () => {
    assert.equal(planKeys(services), plan);
  });
}

test('with the master key: the keyring, seals by subject, and the portal key derived from it', () => {
  const keyring = new Keyring(randomBytes(32));
  const keys = masterKeys(keyring);
  assert.equal(keys.keyring, keyring);
  assert.deepEqual(Buffer.from(keys.portalKey), Buffer.from(portalBusKey(keyring)));
  assert.notEqual(keys.seals.for('tollgate.portal.v1.settings'), keys.seals.for('tollgate.auth.v1.decide'));
});

test('portal only: PORTAL_BUS_KEY seals everything, and no keyring', () => {
  const key = randomBytes(32);
  const keys = portalOnlyKeys({ PORTAL_BUS_KEY: key.toString('base64'), TOLLGATE_MASTER_KEY: Keyring.generateBase64() });
  assert.equal(keys.keyring, undefined);
  assert.deepEqual(Buffer.from(keys.portalKey), key);
  const seal = keys.seals.for('tollgate.auth.v1.decide');
  assert.ok(seal instanceof BusSeal);
  assert.equal(keys.seals.for('tollgate.portal.v1.settings'), seal);
});

for (const [name, env, message] of [
  ['unset', {}, /PORTAL_BUS_KEY is required/],
  ['empty', { PORTAL_BUS_KEY: '' }, /PORTAL_BUS_KEY is required/],
  ['16 bytes', { PORTAL_BUS_KEY: randomBytes(16).toString('base64') }, /PORTAL_BUS_KEY must be 32 bytes/],
] as const) {
  test(`portal only, PORTAL_BUS_KEY ${name}: refused naming the key, not echoing it`, () => {
    assert.throws(
      () => portalOnlyKeys(env),
      (e: unknown) =>
        e instanceof ConfigError && message.test(e.message) && !(env.PORTAL_BUS_KEY && e.message.includes(env.PORTAL_BUS_KEY)),
    );
  });
}

test('an absent backend fails loudly on use, naming what is missing, but is not a thenable', async () => {
  const db = absentBackend<{ query(sql: string): Promise<unknown> }>('database');
  assert.throws(
    () => db.query('SELECT 1'),
    (e: unknown) => e instanceof AbsentBackendError && /no database/.test(e.message),
  );
  assert.equal(await Promise.resolve(db), db);
});
