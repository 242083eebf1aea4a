/**
 * Table tests for the Entra settings body: each field named in its issue, and the authority host
 * held to the entra-verifier's policy (the rules themselves are tabled in @tollgate/contracts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STRICT_AUTHORITY_POLICY, type AuthorityPolicy } from '@tollgate/contracts';
import { entraSettingsInput } from './entra-settings-input.js';

const GUID = '8eaef023-2b34-4da1-9baa-8bc8c9d6a490';
const CLIENT = '00001111-aaaa-2222-bbbb-3333cccc4444';
const base = { enabled: true, tenantId: GUID, clientId: CLIENT, domain: 'contoso.com' };
const STRICT = entraSettingsInput(STRICT_AUTHORITY_POLICY);
const PERMISSIVE_POLICY: AuthorityPolicy = { allowedHosts: ['login.example.net'], allowLoopback: true };
const PERMISSIVE = entraSettingsInput(PERMISSIVE_POLICY);

test('canonicalises a valid body; an omitted authority host or scope stays omitted (the stored one is kept)', () => {
  const parsed = STRICT.parse({ ...base, tenantId: ` ${GUID.toUpperCase()} `, domain: '@Contoso.COM' });
  assert.deepEqual(parsed, base);
  assert.equal(parsed.authorityHost, undefined);
  assert.equal(parsed.scope, undefined);
  assert.equal(STRICT.parse({ ...base, clientSecret: null }).clientSecret, null);
  assert.equal(STRICT.parse({ ...base, tenantId: 'Contoso.onmicrosoft.com' }).tenantId, 'contoso.onmicrosoft.com');
  assert.equal(
    STRICT.parse({ ...base, authorityHost: ' https://LOGIN.microsoftonline.us/ ' }).authorityHost,
    'https://login.microsoftonline.us',
  );
});

test('the authority host follows the policy: loopback and extra hosts only when the operator allows them', () => {
  const cases: Array<[string, string | null, string | null]> = [
    // [input, with STRICT, with PERMISSIVE]
    ['https://login.partner.microsoftonline.cn', 'https://login.partner.microsoftonline.cn', 'https://login.partner.microsoftonline.cn'],
    ['http://127.0.0.1:8443', null, 'http://127.0.0.1:8443'],
    ['http://localhost:9000/', null, 'http://localhost:9000'],
    ['http://[::1]:9000', null, 'http://[::1]:9000'],
    ['https://login.example.net', null, 'https://login.example.net'],
    ['https://evil.example.com', null, null],
    ['http://login.microsoftonline.com', null, null],
    ['http://10.0.0.1', null, null],
    ['https://login.microsoftonline.com/tenant', null, null],
    ['ftp://127.0.0.1', null, null],
  ];
  for (const [input, strict, permissive] of cases) {
    for (const [schema, expected] of [
      [STRICT, strict],
      [PERMISSIVE, permissive],
    ] as const) {
      const result = schema.safeParse({ ...base, authorityHost: input });
      assert.equal(
        result.success ? result.data.authorityHost : null,
        expected,
        `${input} (${schema === STRICT ? 'strict' : 'permissive'})`,
      );
      if (!result.success) assert.deepEqual(result.error.issues[0]!.path, ['authorityHost'], input);
    }
  }
});

test('names the field of each bad value, and says how to allow a refused host', () => {
  const cases: Array<[Record<string, unknown>, string, RegExp]> = [
    [{ ...base, tenantId: 'common' }, 'tenantId', /^must be the tenant GUID.*AADSTS9001023/],
    [{ ...base, tenantId: 'contoso' }, 'tenantId', /^must be the tenant GUID, a verified domain or 'organizations'$/],
    [{ ...base, tenantId: 7 }, 'tenantId', /expected string/],
    [{ ...base, clientId: 'my-app' }, 'clientId', /GUID/],
    [{ ...base, domain: 'not a domain' }, 'domain', /DNS domain/],
    [{ ...base, domain: '10.0.0.1' }, 'domain', /DNS domain/],
    [{ ...base, authorityHost: 'https://evil.example.com' }, 'authorityHost', /add it to ENTRA_ALLOWED_AUTHORITY_HOSTS/],
    [{ ...base, authorityHost: 'http://127.0.0.1:4010' }, 'authorityHost', /ENTRA_ALLOW_LOOPBACK_AUTHORITY=true/],
    [{ ...base, authorityHost: 'http://login.microsoftonline.com' }, 'authorityHost', /^must use https/],
    [{ ...base, scope: '' }, 'scope', /must not be empty/],
    [{ ...base, clientSecret: '' }, 'clientSecret', /send null/],
    [{ ...base, enabled: 'yes' }, 'enabled', /expected boolean/],
    [{ ...base, extra: 1 }, '', /Unrecognized key/],
  ];
  for (const [input, field, message] of cases) {
    const result = STRICT.safeParse(input);
    assert.equal(result.success, false, JSON.stringify(input));
    const issue = result.error!.issues[0]!;
    assert.equal(issue.path.join('.'), field, JSON.stringify(input));
    assert.match(issue.message, message, JSON.stringify(input));
  }
});
