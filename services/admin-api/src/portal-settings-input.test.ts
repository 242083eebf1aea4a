import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PortalSettingsInput } from './portal-settings-input.js';

const base = { oidcEnabled: false, linksEnabled: false, publicUrl: '' };
const field = (body: Record<string, unknown>): string | null => {
  const parsed = PortalSettingsInput.safeParse({ ...base, ...body });
  return parsed.success ? null : parsed.error.issues[0]!.path.join('.');
};

test('public URL: https, or http on a loopback host; no query, fragment or credentials; stored without a trailing slash', () => {
  const table: Array<[string, string | null, string?]> = [
    ['https://enrol.contoso.com/', null, 'https://enrol.contoso.com'],
    ['https://contoso.com/enrol/', null, 'https://contoso.com/enrol'],
    ['http://127.0.0.1:8080', null, 'http://127.0.0.1:8080'],
    ['http://localhost:8080/', null, 'http://localhost:8080'],
    ['http://enrol.contoso.com', 'publicUrl'],
    ['ftp://enrol.contoso.com', 'publicUrl'],
    ['https://user:pw@enrol.contoso.com', 'publicUrl'],
    ['https://enrol.contoso.com/?a=1', 'publicUrl'],
    ['https://enrol.contoso.com/#x', 'publicUrl'],
    ['enrol.contoso.com', 'publicUrl'],
  ];
  for (const [url, problem, stored] of table) {
    assert.equal(field({ publicUrl: url }), problem, url);
    if (stored) assert.equal(PortalSettingsInput.parse({ ...base, publicUrl: url }).publicUrl, stored);
  }
});

test('the other fields, and what a switched-on way needs', () => {
  const png = (bytes: number) => `data:image/png;base64,${Buffer.alloc(bytes).toString('base64')}`;
  const table: Array<[Record<string, unknown>, string | null]> = [
    [{}, null],
    [{ linksEnabled: true }, 'publicUrl'],
    [{ oidcEnabled: true, publicUrl: 'https://e.contoso.com' }, 'clientId'],
    [{ oidcEnabled: true, publicUrl: 'https://e.contoso.com', clientId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' }, null],
    [{ logo: png(100 * 1024) }, null],
    [{ logo: png(100 * 1024 + 1) }, 'logo'],
    [{ logo: 'data:image/webp;base64,AAAA' }, 'logo'],
    [{ logo: 'https://contoso.com/logo.png' }, 'logo'],
    [{ mfaContext: 'c99' }, null],
    [{ mfaContext: 'c01' }, 'mfaContext'],
    [{ mfaContext: 'C1' }, 'mfaContext'],
    [{ issuer: 'Contoso:VPN' }, 'issuer'],
    [{ linkTtlHours: 0 }, 'linkTtlHours'],
    [{ linkTtlHours: 1.5 }, 'linkTtlHours'],
    [{ clientSecret: '' }, 'clientSecret'],
    [{ email: { enabled: true, template: '{user}: {url} ({hours} h, {organisation})' } }, null],
    [{ email: { enabled: true, template: 'no link' } }, 'email.template'],
    [{ email: { enabled: true, template: '{url} {code}' } }, 'email.template'],
    [{ email: { enabled: true, subject: '{organisation} for {user}' } }, null],
    [{ email: { enabled: true, subject: 'open {url}' } }, 'email.subject'],
    [{ unknown: 1 }, 'unknown'],
  ];
  for (const [body, problem] of table) {
    const parsed = PortalSettingsInput.safeParse({ ...base, ...body });
    const got = parsed.success
      ? null
      : parsed.error.issues[0]!.code === 'unrecognized_keys'
        ? (parsed.error.issues[0] as { keys: string[] }).keys[0]!
        : parsed.error.issues[0]!.path.join('.');
    assert.equal(got, problem, JSON.stringify(body).slice(0, 80));
  }
});
