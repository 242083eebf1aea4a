/**
 * `/api/v1/settings/ldap` and its test route, with the real ldap-verifier on the harness's bus and
 * a real slapd: the bind password sealed and never shown, the url and filter rules, and the test
 * route's explained outcomes (proven, wrong, locked, unknown user, server down).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { LDAP_BIND_PASSWORD_CONTEXT } from '@tollgate/contracts';
import { createLogger } from '@tollgate/logging';
import { settings, users } from '@tollgate/store';
import type { Component, ServiceContext } from '@tollgate/runtime';
import { ldapVerifier } from '@tollgate/ldap-verifier';
import { SLAPD_BASE_DN, SLAPD_SERVICE_DN, SLAPD_SERVICE_PASSWORD, startSlapd, type Slapd } from '@tollgate/testkit';
import { startHarness, type Harness } from './testing/admin-api-harness.js';

const ALICE_PASSWORD = 'Alice-Admin-Test-7781';

describe('admin API: LDAP settings and the connection test', () => {
  let h: Harness;
  let slapd: Slapd;
  let verifier: Component;
  let valid: Record<string, unknown>;

  before(async () => {
    h = await startHarness('adm_ldap');
    slapd = await startSlapd({
      users: [
        { uid: 'alice', password: ALICE_PASSWORD },
        { uid: 'locked', password: ALICE_PASSWORD, lockedTime: '20260101000000Z' },
      ],
    });
    const context: ServiceContext = {
      env: { LDAP_SETTINGS_CACHE_MS: '0' },
      logger: createLogger('ldap-verifier', { level: 'debug', destination: { write: (line: string) => void h.logs.push(line) } }),
      bus: h.bus,
      subjectPrefix: h.prefix,
      db: h.db,
      state: h.state,
      keyring: h.keyring,
      metrics: new Registry(),
    };
    verifier = await ldapVerifier.create(context);
    await verifier.start();
    await users.create(h.db, { upn: 'alice@contoso.com' });
    valid = {
      enabled: true,
      urls: [slapd.url],
      startTls: true,
      caCertificate: slapd.caPem,
      bindDn: SLAPD_SERVICE_DN,
      bindPassword: SLAPD_SERVICE_PASSWORD,
      baseDn: SLAPD_BASE_DN,
      userFilter: '(&(objectClass=inetOrgPerson)(uid={local}))',
    };
  });
  after(async () => {
    await verifier?.stop();
    await slapd?.close();
    await h?.close();
  });

  test('PUT seals the bind password; GET shows only that one is set', async () => {
    const before = await h.call('GET', '/api/v1/settings/ldap');
    assert.equal(before.status, 200);
    assert.equal(before.body.enabled, false);
    assert.equal(before.body.hasBindPassword, false);
    const put = await h.call('PUT', '/api/v1/settings/ldap', { body: valid });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.body.hasBindPassword, true);
    assert.equal(put.body.bindPassword, undefined);
    assert.equal(put.body.groupAttribute, 'memberOf');
    assert.equal(put.body.timeoutMs, 3000);
    const stored = await settings.get(h.db, 'ldap');
    assert.ok(stored?.bindPasswordSealed && !stored.bindPasswordSealed.includes(SLAPD_SERVICE_PASSWORD));
    assert.equal(h.keyring.openText(stored.bindPasswordSealed, LDAP_BIND_PASSWORD_CONTEXT), SLAPD_SERVICE_PASSWORD);
    // Left out: the password is kept.
    const { bindPassword: _, ...withoutPassword } = valid;
    const kept = await h.call('PUT', '/api/v1/settings/ldap', { body: withoutPassword });
    assert.equal(kept.body.hasBindPassword, true);
    assert.deepEqual((await h.call('GET', '/api/v1/settings/ldap')).body, kept.body);
    await h.waitForEvent((e) => e.kind === 'settings');
    assert.ok(h.logs.some((l) => l.includes('"action":"settings.ldap.update"')));
  });

  test('bad input -> 400 naming the field', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ ...valid, urls: ['ldap://dc1.corp:389'], startTls: false }, 'urls.0', /clear/],
      [{ ...valid, urls: [slapd.url, 'http://x'] }, 'urls.1', /ldaps:\/\/ or ldap:\/\//],
      [{ ...valid, urls: [] }, 'urls', /at least one/],
      [{ ...valid, userFilter: '(uid=alice)' }, 'userFilter', /must use \{local\} or \{upn\}/],
      [{ ...valid, userFilter: 'uid={local}' }, 'userFilter', /parentheses/],
      [{ ...valid, groupFilter: '(member={local})' }, 'groupFilter', /must not use \{local\}/],
      [{ ...valid, caCertificate: 'not pem' }, 'caCertificate', /PEM/],
      [{ ...valid, timeoutMs: 5 }, 'timeoutMs', /from 100/],
      [{ ...valid, bindPassword: '' }, 'bindPassword', /must not be empty/],
      [{ ...valid, extra: 1 }, 'extra', /./],
    ];
    for (const [body, field, message] of cases) {
      const res = await h.call('PUT', '/api/v1/settings/ldap', { body });
      assert.equal(res.status, 400, `${field}: ${res.text}`);
      assert.equal(res.body.error.field, field, res.text);
      assert.match(res.body.error.message, message, res.text);
    }
    // ldap:// is accepted without StartTLS only when insecure is allowed, and then warned about.
    const insecure = await h.call('PUT', '/api/v1/settings/ldap', { body: { ...valid, startTls: false, allowInsecure: true } });
    assert.equal(insecure.status, 200, insecure.text);
    assert.ok(h.logs.some((l) => l.includes('passwords cross the network in clear')));
    assert.equal((await h.call('PUT', '/api/v1/settings/ldap', { body: valid })).status, 200);
  });

  test('the test route explains what the directory said', async () => {
    const ok = await h.call('POST', '/api/v1/settings/ldap/test', { body: { username: 'alice@contoso.com', password: ALICE_PASSWORD } });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.outcome, 'password_ok');
    assert.equal(ok.body.server, slapd.url);
    assert.match(ok.body.message, /Password verified/);
    const cases: [string, string, string, RegExp][] = [
      ['alice@contoso.com', 'wrong-password', 'invalid_credentials', /rejected the password/],
      ['nobody@contoso.com', ALICE_PASSWORD, 'invalid_credentials', /No entry matches the user filter/],
      ['locked@contoso.com', ALICE_PASSWORD, 'locked', /locked/],
    ];
    for (const [username, password, outcome, message] of cases) {
      const res = await h.call('POST', '/api/v1/settings/ldap/test', { body: { username, password } });
      assert.equal(res.body.outcome, outcome, username);
      assert.match(res.body.message, message, username);
    }
    await slapd.stop();
    try {
      const down = await h.call('POST', '/api/v1/settings/ldap/test', {
        body: { username: 'alice@contoso.com', password: ALICE_PASSWORD },
      });
      assert.equal(down.body.outcome, 'unavailable');
      assert.match(down.body.message, /No directory server answered/);
    } finally {
      await slapd.restart();
    }
    const missing = await h.call('POST', '/api/v1/settings/ldap/test', { body: { username: 'alice@contoso.com' } });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.field, 'password');
  });

  test('no password reached a response or a log line', () => {
    const all = [...h.logs, ...h.responses].join('\n');
    assert.ok(all.length > 0);
    for (const secret of [ALICE_PASSWORD, SLAPD_SERVICE_PASSWORD]) assert.ok(!all.includes(secret), 'a password leaked');
  });
});
