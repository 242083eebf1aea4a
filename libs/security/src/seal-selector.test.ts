import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { PORTAL_BUS_KEY_PURPOSE } from '@tollgate/contracts';
import { BUS_KEY_PURPOSE, BusSeal } from './bus-seal.js';
import { Keyring } from './keyring.js';
import { installationSeals, parsePortalBusKey, portalBusKey, singleSeal } from './seal-selector.js';

const keyring = new Keyring(randomBytes(32));
const seals = installationSeals(keyring);
const text = (s: string) => new TextEncoder().encode(s);
const PORTAL = 'tollgate.portal.v1.signin.link';
const RADIUS = 'tollgate.auth.v1.verify.entra';

test('portal subjects are sealed with the portal key, all others with the bus key', () => {
  const portalOnly = new BusSeal(portalBusKey(keyring));
  const busOnly = new BusSeal(keyring.deriveKey(BUS_KEY_PURPOSE));
  const portalMsg = seals.for(PORTAL).sealRequest(PORTAL, text('{"password":"p"}'), 1_000);
  const radiusMsg = seals.for(RADIUS).sealRequest(RADIUS, text('{"password":"p"}'), 1_000);
  assert.ok(portalOnly.openRequest(PORTAL, portalMsg.data).ok, 'the portal key opens a portal message');
  assert.deepEqual(portalOnly.openRequest(RADIUS, radiusMsg.data), { ok: false, reason: 'bad_seal' }, 'and not a bus-key one');
  assert.ok(busOnly.openRequest(RADIUS, radiusMsg.data).ok, 'the bus key opens the rest');
  assert.deepEqual(busOnly.openRequest(PORTAL, portalMsg.data), { ok: false, reason: 'bad_seal' }, 'and not a portal message');
});

test('the choice is cached per subject and the same seal comes back', () => {
  assert.equal(seals.for(PORTAL), seals.for(PORTAL));
  assert.equal(seals.for(RADIUS), seals.for('tollgate.events.v1.config.changed'));
  assert.notEqual(seals.for(PORTAL), seals.for(RADIUS));
  const one = new BusSeal(randomBytes(32));
  assert.equal(singleSeal(one).for(PORTAL), one);
  assert.equal(singleSeal(one).for(RADIUS), one);
});

test('the portal key is the master key derived for the portal alone (not the bus key, not the master key)', () => {
  const key = portalBusKey(keyring);
  assert.deepEqual(Buffer.from(key), keyring.deriveKey(PORTAL_BUS_KEY_PURPOSE));
  assert.notDeepEqual(Buffer.from(key), keyring.deriveKey(BUS_KEY_PURPOSE));
  assert.equal(key.length, 32);
});

for (const [name, input, ok] of [
  ['base64 of 32 bytes', randomBytes(32).toString('base64'), true],
  ['base64url of 32 bytes', randomBytes(32).toString('base64url'), true],
  ['with a trailing newline', `${randomBytes(32).toString('base64')}\n`, true],
  ['16 bytes', randomBytes(16).toString('base64'), false],
  ['not base64', 'not a key!', false],
  ['empty', '', false],
] as const) {
  test(`parsePortalBusKey: ${name}`, () => {
    assert.equal(parsePortalBusKey(input) !== undefined, ok);
  });
}
