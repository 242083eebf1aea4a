/** Table tests for the Entra settings body: tenant, client id, domain, authority host. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EntraSettingsInput, canonicalAuthorityHost, tenantProblem } from './entra-settings-input.js';

const GUID = '8eaef023-2b34-4da1-9baa-8bc8c9d6a490';
const CLIENT = '00001111-aaaa-2222-bbbb-3333cccc4444';
const base = { enabled: true, tenantId: GUID, clientId: CLIENT, domain: 'contoso.com' };

test('accepts the tenant forms ROPC accepts, and refuses common/consumers', () => {
  for (const tenant of [GUID, 'contoso.onmicrosoft.com', 'contoso.com', 'organizations']) assert.equal(tenantProblem(tenant), null, tenant);
  for (const tenant of ['common', 'consumers']) assert.match(tenantProblem(tenant)!, /AADSTS9001023/, tenant);
  for (const tenant of ['', 'contoso', 'not a tenant', '8eaef023-2b34-4da1-9baa']) assert.match(tenantProblem(tenant)!, /tenant GUID/, tenant);
});

test('accepts Microsoft clouds and loopback only as authority hosts', () => {
  const cases: Array<[string, string | null]> = [
    ['https://login.microsoftonline.com', 'https://login.microsoftonline.com'],
    ['https://login.microsoftonline.com/', 'https://login.microsoftonline.com'],
    ['https://LOGIN.microsoftonline.us', 'https://login.microsoftonline.us'],
    ['https://login.partner.microsoftonline.cn', 'https://login.partner.microsoftonline.cn'],
    ['http://127.0.0.1:8443', 'http://127.0.0.1:8443'],
    ['http://localhost:9000/', 'http://localhost:9000'],
    ['http://[::1]:9000', 'http://[::1]:9000'],
    ['http://login.microsoftonline.com', null],
    ['https://login.microsoftonline.com/tenant', null],
    ['https://login.microsoftonline.com?x=1', null],
    ['https://evil.example.com', null],
    ['http://10.0.0.1', null],
    ['ftp://127.0.0.1', null],
    ['login.microsoftonline.com', null],
  ];
  for (const [input, expected] of cases) assert.equal(canonicalAuthorityHost(input), expected, input);
});

test('canonicalises a valid body and applies defaults', () => {
  const parsed = EntraSettingsInput.parse({ ...base, tenantId: GUID.toUpperCase(), domain: '@Contoso.COM' });
  assert.deepEqual(parsed, {
    ...base,
    authorityHost: 'https://login.microsoftonline.com',
    scope: 'openid profile offline_access',
  });
  assert.equal(EntraSettingsInput.parse({ ...base, clientSecret: null }).clientSecret, null);
});

test('names the field of each bad value', () => {
  const cases: Array<[Record<string, unknown>, string, RegExp]> = [
    [{ ...base, tenantId: 'common' }, 'tenantId', /AADSTS9001023/],
    [{ ...base, clientId: 'my-app' }, 'clientId', /GUID/],
    [{ ...base, domain: 'not a domain' }, 'domain', /DNS domain/],
    [{ ...base, authorityHost: 'https://evil.example.com' }, 'authorityHost', /must be one of/],
    [{ ...base, scope: '' }, 'scope', /must not be empty/],
    [{ ...base, clientSecret: '' }, 'clientSecret', /send null/],
    [{ ...base, enabled: 'yes' }, 'enabled', /expected boolean/],
    [{ ...base, extra: 1 }, '', /Unrecognized key/],
  ];
  for (const [input, field, message] of cases) {
    const result = EntraSettingsInput.safeParse(input);
    assert.equal(result.success, false, JSON.stringify(input));
    const issue = result.error!.issues[0]!;
    assert.equal(issue.path.join('.'), field);
    assert.match(issue.message, message);
  }
});
