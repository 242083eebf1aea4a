import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STRICT_AUTHORITY_POLICY } from '@tollgate/contracts';
import { DEFAULT_PORTAL, DEFAULT_SCOPE, withPortalDefaults, type EntraSettings } from '@tollgate/store';
import { oidcUsable, portalSettingsResponse } from './portal-settings-response.js';

const TENANT = '7d1f2c3b-4a5e-4f60-8172-93a4b5c6d7e8';
const CLIENT = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const entra: EntraSettings = {
  enabled: true,
  tenantId: TENANT,
  clientId: CLIENT,
  domain: 'contoso.com',
  authorityHost: '',
  scope: DEFAULT_SCOPE,
};
const portal = withPortalDefaults({ oidcEnabled: true, linksEnabled: true, publicUrl: 'https://enrol.contoso.com', clientId: CLIENT });

test('sign in with Microsoft is on only when every part it needs is set', () => {
  const table: Array<[string, Parameters<typeof oidcUsable>[0], EntraSettings | null, boolean]> = [
    ['everything set', portal, entra, true],
    ['switched off', { ...portal, oidcEnabled: false }, entra, false],
    ['no client id', { ...portal, clientId: '' }, entra, false],
    ['no public URL', { ...portal, publicUrl: '' }, entra, false],
    ['no Entra settings', portal, null, false],
    ['a tenant domain, not its GUID', portal, { ...entra, tenantId: 'contoso.com' }, false],
    ['organizations', portal, { ...entra, tenantId: 'organizations' }, false],
    ['an authority host outside the policy', portal, { ...entra, authorityHost: 'https://login.example.net' }, false],
    ['a US Government authority', portal, { ...entra, authorityHost: 'https://login.microsoftonline.us' }, true],
  ];
  for (const [label, p, e, usable] of table) assert.equal(oidcUsable(p, e, STRICT_AUTHORITY_POLICY), usable, label);
});

test('the answer: public parts only, the authorize endpoint from the authority and tenant, the default issuer', () => {
  const answer = portalSettingsResponse({ ...portal, clientSecretSealed: 'sealed' }, entra, STRICT_AUTHORITY_POLICY, 'Tollgate');
  assert.deepEqual(answer, {
    publicUrl: 'https://enrol.contoso.com',
    organisationName: 'Tollgate',
    logo: null,
    issuer: 'Tollgate',
    allowReplace: false,
    oidc: {
      enabled: true,
      authorizeEndpoint: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/authorize`,
      clientId: CLIENT,
      mfaContext: 'c1',
    },
    links: { enabled: true },
  });
  assert.equal(
    portalSettingsResponse({ ...portal, issuer: 'Contoso VPN' }, entra, STRICT_AUTHORITY_POLICY, 'Tollgate')?.issuer,
    'Contoso VPN',
  );
  assert.deepEqual(portalSettingsResponse({ ...portal, oidcEnabled: false }, entra, STRICT_AUTHORITY_POLICY, 'T')?.oidc, {
    enabled: false,
  });
  assert.equal(portalSettingsResponse(DEFAULT_PORTAL, entra, STRICT_AUTHORITY_POLICY, 'T'), null, 'nothing without a public URL');
});
