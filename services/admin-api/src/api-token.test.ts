import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiTokenCheck, apiTokenSha256 } from './api-token.js';

const TOKEN = 'generated-admin-token-0123456789abcdef';

test('the SHA-256 is the lower-case hex digest of the token (FIPS 180-2 vector)', () => {
  assert.match(apiTokenSha256(TOKEN), /^[0-9a-f]{64}$/);
  assert.equal(apiTokenSha256('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

const cases: Array<[string, Parameters<typeof apiTokenCheck>[0], string, boolean]> = [
  ['token: the token', { token: TOKEN }, TOKEN, true],
  ['token: another', { token: TOKEN }, `${TOKEN}x`, false],
  ['token: empty', { token: TOKEN }, '', false],
  ['hash: the token', { sha256: apiTokenSha256(TOKEN) }, TOKEN, true],
  ['hash: upper-case hex is the same hash', { sha256: apiTokenSha256(TOKEN).toUpperCase() }, TOKEN, true],
  ['hash: another token', { sha256: apiTokenSha256(TOKEN) }, TOKEN.slice(1), false],
  ['hash: the hash itself is not the token', { sha256: apiTokenSha256(TOKEN) }, apiTokenSha256(TOKEN), false],
];
for (const [name, expected, presented, ok] of cases) {
  test(`check ${name}`, () => {
    assert.equal(apiTokenCheck(expected)(presented), ok);
  });
}

test('exactly one of the token and its hash', () => {
  assert.throws(() => apiTokenCheck({}), /required/);
  assert.throws(() => apiTokenCheck({ token: TOKEN, sha256: apiTokenSha256(TOKEN) }), /not both/);
});
