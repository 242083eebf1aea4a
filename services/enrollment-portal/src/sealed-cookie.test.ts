import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { openCookie, sealCookie } from './sealed-cookie.js';
import { derivePortalKeys } from './portal-keys.js';

const portalKey = randomBytes(32);
const keys = derivePortalKeys(portalKey);
const NOW = 1_800_000_000_000;
const value = { state: 'S'.repeat(43), nonce: 'N'.repeat(43), codeVerifier: 'V'.repeat(43) };

test('a sealed cookie opens with its key and name before it expires, and shows nothing of its value', () => {
  const sealed = sealCookie(keys.cookie, 'tollgate-signin', value, 600_000, NOW);
  assert.match(sealed, /^[A-Za-z0-9_-]+$/);
  for (const part of ['SSSS', 'NNNN', 'VVVV', 'state']) assert.ok(!Buffer.from(sealed, 'base64url').toString('latin1').includes(part));
  assert.deepEqual(openCookie(keys.cookie, 'tollgate-signin', sealed, NOW + 599_999), value);
  // Another replica derives the same key from the same portal key.
  assert.deepEqual(openCookie(derivePortalKeys(Buffer.from(portalKey)).cookie, 'tollgate-signin', sealed, NOW), value);
});

const sealed = sealCookie(keys.cookie, 'tollgate-signin', value, 600_000, NOW);
const flipped = (() => {
  const raw = Buffer.from(sealed, 'base64url');
  raw[raw.length - 1]! ^= 1;
  return raw.toString('base64url');
})();

for (const [name, key, cookieName, text, at] of [
  ['expired', keys.cookie, 'tollgate-signin', sealed, NOW + 600_000],
  ['another cookie name', keys.cookie, 'tollgate-session', sealed, NOW],
  ['the CSRF key (another use)', keys.csrf, 'tollgate-signin', sealed, NOW],
  ['another installation', derivePortalKeys(randomBytes(32)).cookie, 'tollgate-signin', sealed, NOW],
  ['one bit changed', keys.cookie, 'tollgate-signin', flipped, NOW],
  ['truncated', keys.cookie, 'tollgate-signin', sealed.slice(0, 30), NOW],
  ['not base64url', keys.cookie, 'tollgate-signin', `${sealed}!`, NOW],
  ['empty', keys.cookie, 'tollgate-signin', '', NOW],
  ['absent', keys.cookie, 'tollgate-signin', undefined, NOW],
] as const) {
  test(`a sealed cookie does not open: ${name}`, () => {
    assert.equal(openCookie(key, cookieName, text, at), undefined);
  });
}

test('the derived keys differ from each other and from the portal key', () => {
  assert.notDeepEqual(keys.cookie, keys.csrf);
  assert.notDeepEqual(keys.cookie, portalKey);
  assert.notDeepEqual(keys.csrf, portalKey);
  assert.throws(() => derivePortalKeys(randomBytes(16)), RangeError);
});
