/** Table tests for user name canonicalisation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalUpn } from './canonical-upn.js';

test('canonicalises user names to UPNs', () => {
  const cases: Array<[string, string | null, string]> = [
    ['Alice', 'contoso.com', 'alice@contoso.com'],
    ['  Alice@Contoso.COM ', null, 'alice@contoso.com'],
    ['alice@fabrikam.com', 'contoso.com', 'alice@fabrikam.com'],
    ["o'brien.x+vpn", 'Contoso.com', "o'brien.x+vpn@contoso.com"],
  ];
  for (const [username, domain, upn] of cases) assert.deepEqual(canonicalUpn(username, domain), { ok: true, upn });
});

test('refuses names that cannot be UPNs', () => {
  const cases: Array<[string, string | null, RegExp]> = [
    ['', 'contoso.com', /must not be empty/],
    ['alice', null, /once the Entra domain is set/],
    ['al ice', 'contoso.com', /must be a UPN/],
    ['alice@', null, /must be a UPN/],
    ['alice@contoso', null, /must be a UPN/],
    ['a@b@contoso.com', null, /must be a UPN/],
    ['alice@-contoso.com', null, /must be a UPN/],
    ['alice@10.0.0.1', null, /must be a UPN/],
    ['@contoso.com', null, /must be a UPN/],
    ['alice@contoso..com', null, /must be a UPN/],
    [`${'a'.repeat(250)}@contoso.com`, null, /at most 256/],
  ];
  for (const [username, domain, problem] of cases) {
    const result = canonicalUpn(username, domain);
    assert.equal(result.ok, false, username);
    if (!result.ok) assert.match(result.problem, problem, username);
  }
});
