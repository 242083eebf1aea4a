import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LdapSettings } from '@tollgate/store';
import { resolveLdapSettings } from './resolve-ldap-settings.js';

const base: LdapSettings = {
  enabled: true,
  urls: ['ldaps://dc1.corp:636'],
  startTls: false,
  allowInsecure: false,
  bindDn: 'cn=svc,dc=corp',
  bindPasswordSealed: 'sealed',
  baseDn: 'dc=corp',
  userFilter: '(uid={local})',
  groupAttribute: 'memberOf',
  timeoutMs: 2000,
};
const open = (sealed: string) =>
  sealed === 'sealed'
    ? 'svc-password'
    : (() => {
        throw new Error('no');
      })();

test('resolveLdapSettings: what is ready, what is not configured, what is invalid', () => {
  const cases: [string, LdapSettings | null, string, string?][] = [
    ['ready', base, 'ready'],
    ['nothing stored', null, 'not_configured'],
    ['disabled', { ...base, enabled: false }, 'not_configured'],
    ['no urls', { ...base, urls: [] }, 'not_configured'],
    ['no base DN', { ...base, baseDn: ' ' }, 'not_configured'],
    ['plain ldap without StartTLS', { ...base, urls: ['ldap://dc1.corp'] }, 'invalid', 'url'],
    ['plain ldap with StartTLS', { ...base, urls: ['ldap://dc1.corp'], startTls: true }, 'ready'],
    ['plain ldap allowed insecure', { ...base, urls: ['ldap://dc1.corp'], allowInsecure: true }, 'ready'],
    ['filter without placeholder', { ...base, userFilter: '(uid=alice)' }, 'invalid', 'user_filter'],
    ['group filter without {dn}', { ...base, groupFilter: '(member=x)' }, 'invalid', 'group_filter'],
    ['sealed with another key', { ...base, bindPasswordSealed: 'other' }, 'invalid', 'bind_password_unreadable'],
  ];
  for (const [name, stored, kind, code] of cases) {
    const got = resolveLdapSettings(stored, open);
    assert.equal(got.kind, kind, name);
    if (code) assert.equal(got.kind === 'invalid' && got.code, code, name);
  }
});

test('resolveLdapSettings: the password opens, insecure is flagged, the fingerprint holds no password', () => {
  const got = resolveLdapSettings({ ...base, urls: ['ldap://dc1.corp'], allowInsecure: true }, open);
  assert.ok(got.kind === 'ready');
  assert.equal(got.settings.bindPassword, 'svc-password');
  assert.equal(got.settings.insecure, true);
  assert.ok(!got.fingerprint.includes('svc-password'));
  const secure = resolveLdapSettings(base, open);
  assert.ok(secure.kind === 'ready' && !secure.settings.insecure);
});
