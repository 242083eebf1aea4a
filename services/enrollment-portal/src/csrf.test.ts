import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { csrfToken, csrfValid, sameOriginPost } from './csrf.js';

const key = randomBytes(32);
const session = 'a'.repeat(43);
const token = csrfToken(key, 'session', session);

test('a CSRF token verifies for its purpose and cookie', () => {
  assert.ok(csrfValid(key, 'session', session, token));
});

for (const [name, k, purpose, boundTo, given] of [
  ['another session', key, 'session', 'b'.repeat(43), token],
  ['another purpose', key, 'link', session, token],
  ['another key', randomBytes(32), 'session', session, token],
  ['no cookie', key, 'session', undefined, token],
  ['no token', key, 'session', session, undefined],
  ['an empty token', key, 'session', session, ''],
  ['a token that is not a string', key, 'session', session, [token]],
  ['a token one character off', key, 'session', session, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`],
  ['an overlong token', key, 'session', session, token.repeat(10)],
] as const) {
  test(`a CSRF token is refused: ${name}`, () => {
    assert.equal(csrfValid(k, purpose, boundTo, given), false);
  });
}

const PORTAL = 'https://enrol.contoso.com';
for (const [name, headers, expected] of [
  ['same-origin fetch metadata, Origin null (no-referrer pages)', { origin: 'null', secFetchSite: 'same-origin' }, true],
  ['same-origin fetch metadata and the portal origin', { origin: PORTAL, secFetchSite: 'same-origin' }, true],
  ['the portal origin, no fetch metadata', { origin: PORTAL }, true],
  ['neither header (not a current browser: the token decides)', {}, true],
  ['cross-site fetch metadata', { origin: 'null', secFetchSite: 'cross-site' }, false],
  ['same-site (another subdomain)', { secFetchSite: 'same-site' }, false],
  ['another origin', { origin: 'https://evil.example', secFetchSite: 'same-origin' }, false],
  ['another origin, no fetch metadata', { origin: 'https://evil.example' }, false],
  ['the same host over http', { origin: 'http://enrol.contoso.com' }, false],
] as const) {
  test(`origin check: ${name}`, () => {
    assert.equal(sameOriginPost(headers, PORTAL), expected);
  });
}
