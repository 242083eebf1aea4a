/** Table of stored Entra settings and what a call gets from them (or why it gets nothing). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AuthorityPolicy } from '@tollgate/contracts';
import type { EntraSettings } from '@tollgate/store';
import { resolveEntraSettings, type ResolvedEntra } from './resolve-entra-settings.js';

const POLICY: AuthorityPolicy = { allowedHosts: [], allowLoopback: false };
const TENANT = '7d1f2c3b-4a5e-4f60-8172-93a4b5c6d7e8';
const CLIENT = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const BASE: EntraSettings = {
  enabled: true,
  tenantId: TENANT,
  clientId: CLIENT,
  domain: 'contoso.com',
  authorityHost: 'https://login.microsoftonline.com',
  scope: 'openid profile offline_access',
};
const openSecret = (sealed: string) => {
  if (sealed === 'good') return 's3cret';
  throw new Error('does not open');
};
const READY = {
  kind: 'ready',
  origin: 'https://login.microsoftonline.com',
  path: `/${TENANT}/oauth2/v2.0/token`,
  clientId: CLIENT,
  scope: 'openid profile offline_access',
  throttleKey: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token|${CLIENT}`,
} as const;

describe('resolveEntraSettings', () => {
  const cases: Array<[string, EntraSettings | null, ResolvedEntra]> = [
    ['no settings -> not_configured', null, { kind: 'not_configured' }],
    ['disabled -> not_configured', { ...BASE, enabled: false }, { kind: 'not_configured' }],
    ['no tenant -> not_configured', { ...BASE, tenantId: ' ' }, { kind: 'not_configured' }],
    ['no client -> not_configured', { ...BASE, clientId: '' }, { kind: 'not_configured' }],
    ['complete -> ready', BASE, READY],
    ['secret opens -> ready with secret', { ...BASE, clientSecretSealed: 'good' }, { ...READY, clientSecret: 's3cret' }],
    ['empty scope -> default scope', { ...BASE, scope: '' }, READY],
    [
      'custom scope kept',
      { ...BASE, scope: 'https://graph.microsoft.com/.default' },
      { ...READY, scope: 'https://graph.microsoft.com/.default' },
    ],
    ['empty authority -> public cloud', { ...BASE, authorityHost: '' }, READY],
    [
      'secret does not open -> invalid',
      { ...BASE, clientSecretSealed: 'v1.garbage' },
      { kind: 'invalid', code: 'client_secret_unreadable', message: 'the Entra client secret does not open with this master key' },
    ],
  ];
  for (const [name, stored, expected] of cases) {
    it(name, () => assert.deepEqual(resolveEntraSettings(stored, POLICY, openSecret), expected));
  }

  // The message names the settings field first, so the log line says what to fix.
  const invalid: Array<[string, Partial<EntraSettings>, string, RegExp, number?]> = [
    ['common tenant', { tenantId: 'common' }, 'tenant_not_supported', /^tenantId must be the tenant GUID.*AADSTS9001023/, 9001023],
    ['bad tenant', { tenantId: 'not a tenant' }, 'tenant_invalid', /^tenantId must be the tenant GUID/],
    [
      'foreign host',
      { authorityHost: 'https://evil.example.com' },
      'authority_not_allowed',
      /^authorityHost must be a Microsoft cloud.*ENTRA_ALLOWED_AUTHORITY_HOSTS/,
    ],
    [
      'http loopback not allowed',
      { authorityHost: 'http://127.0.0.1:1234' },
      'authority_not_allowed',
      /^authorityHost must not be a loopback address.*ENTRA_ALLOW_LOOPBACK_AUTHORITY=true/,
    ],
    [
      'host with a path',
      { authorityHost: 'https://login.microsoftonline.com/x' },
      'authority_invalid',
      /^authorityHost must be a bare origin/,
    ],
  ];
  for (const [name, change, code, message, aadsts] of invalid) {
    it(`${name} -> invalid ${code}`, () => {
      const result = resolveEntraSettings({ ...BASE, ...change }, POLICY, openSecret);
      assert.equal(result.kind, 'invalid');
      assert.ok(result.kind === 'invalid');
      assert.equal(result.code, code);
      assert.match(result.message, message);
      assert.equal(result.aadsts, aadsts);
    });
  }

  it('the throttle key changes with the endpoint and the client', () => {
    const a = resolveEntraSettings(BASE, POLICY, openSecret);
    const b = resolveEntraSettings({ ...BASE, clientId: 'other' }, POLICY, openSecret);
    const c = resolveEntraSettings({ ...BASE, tenantId: 'contoso.com' }, POLICY, openSecret);
    assert.ok(a.kind === 'ready' && b.kind === 'ready' && c.kind === 'ready');
    assert.equal(new Set([a.throttleKey, b.throttleKey, c.throttleKey]).size, 3);
  });
});
