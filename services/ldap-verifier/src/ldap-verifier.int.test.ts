/**
 * The ldap-verifier service against a real OpenLDAP slapd (started by the test, with a test CA),
 * real PostgreSQL for its settings and groups, and the in-process bus: search then bind, wrong
 * passwords, filter injection, ppolicy locks, StartTLS and ldaps, failover between urls, the
 * pool across a slapd restart, an outage, LDAP group sync, and no password in the logs.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Registry } from 'prom-client';
import { BusError, LDAP_BIND_PASSWORD_CONTEXT, subject, type LdapVerifyResponse } from '@tollgate/contracts';
import { MemoryBus } from '@tollgate/bus';
import { createLogger } from '@tollgate/logging';
import { Keyring } from '@tollgate/security';
import { PostgresDb, groups, migrate, settings, users, type LdapSettings } from '@tollgate/store';
import { publishConfigChanged, type Component, type ServiceContext } from '@tollgate/runtime';
import {
  SLAPD_BASE_DN,
  SLAPD_SERVICE_DN,
  SLAPD_SERVICE_PASSWORD,
  createTestDatabase,
  freeTcpPort,
  startSlapd,
  uniquePrefix,
  type Slapd,
} from '@tollgate/testkit';
import { ldapVerifier } from './manifest.js';
import { Directory } from './ldap-directory.js';
import { resolveLdapSettings } from './resolve-ldap-settings.js';

const PW = {
  alice: 'Alice-Ldap-Pass-1201',
  bob: 'Bob-Ldap-Pass-2302',
  locked: 'Locked-Ldap-Pass-3403',
  disabled: 'Disabled-Ldap-Pass-4504',
  wrong: 'Wrong-Ldap-Pass-9909',
};

describe('ldap-verifier against slapd', () => {
  let database: { url: string; drop(): Promise<void> };
  let db: PostgresDb;
  let slapd: Slapd;
  let keyring: Keyring;
  let component: Component;
  let context: ServiceContext;
  let bus: MemoryBus;
  let base: LdapSettings;
  const logLines: string[] = [];

  const ask = (upn: string, password: string, name: 'verifyLdap' | 'testLdap' = 'verifyLdap') =>
    bus.request<LdapVerifyResponse>(subject(context.subjectPrefix, name), { upn, password }, { timeoutMs: 10_000 });

  async function putSettings(change: Partial<LdapSettings>): Promise<void> {
    await settings.put(db, 'ldap', { ...base, ...change });
    publishConfigChanged(context, { kind: 'settings' });
    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  before(async () => {
    database = await createTestDatabase('ldap_verifier');
    db = new PostgresDb({ url: database.url, max: 4 });
    await migrate(db);
    keyring = new Keyring(randomBytes(32));
    slapd = await startSlapd({
      users: [
        { uid: 'alice', password: PW.alice },
        { uid: 'bob', password: PW.bob },
        { uid: 'locked', password: PW.locked, lockedTime: '20260101000000Z' },
        { uid: 'disabled', password: PW.disabled, lockedTime: '000001010000Z' },
      ],
      groups: [
        { cn: 'vpn-users', members: ['alice', 'bob'] },
        { cn: 'vpn-admins', members: ['alice'] },
        { cn: 'not-in-tollgate', members: ['alice'] },
      ],
    });
    base = {
      enabled: true,
      urls: [slapd.url],
      startTls: true,
      allowInsecure: false,
      caCertificate: slapd.caPem,
      bindDn: SLAPD_SERVICE_DN,
      bindPasswordSealed: keyring.seal(SLAPD_SERVICE_PASSWORD, LDAP_BIND_PASSWORD_CONTEXT),
      baseDn: SLAPD_BASE_DN,
      userFilter: '(&(objectClass=inetOrgPerson)(uid={local}))',
      groupAttribute: 'memberOf',
      groupFilter: '(&(objectClass=groupOfNames)(member={dn}))',
      timeoutMs: 2000,
    };
    await settings.put(db, 'ldap', base);
    for (const upn of ['alice@corp.example', 'bob@corp.example']) await users.create(db, { upn });
    for (const name of ['vpn-users', 'VPN-Admins', 'tollgate-only']) await groups.create(db, { name });
    await groups.addMember(db, 'tollgate-only', 'alice@corp.example');
    context = {
      env: { LDAP_SETTINGS_CACHE_MS: '600000', LDAP_BIND_POOL_SIZE: '2' },
      logger: createLogger('ldap-verifier', { level: 'debug', destination: { write: (line: string) => void logLines.push(line) } }),
      bus: new MemoryBus(),
      subjectPrefix: uniquePrefix('ldap'),
      db,
      state: {} as ServiceContext['state'],
      keyring,
      metrics: new Registry(),
    };
    bus = context.bus as MemoryBus;
    component = await ldapVerifier.create(context);
    await component.start();
  });

  after(async () => {
    await component?.stop();
    await bus?.drain();
    await slapd?.close();
    await db?.close();
    await database?.drop();
  });

  it('classifies every account: proven, wrong, unknown, locked, disabled', async () => {
    const table: [string, string, LdapVerifyResponse['outcome'], LdapVerifyResponse['stage']][] = [
      ['alice@corp.example', PW.alice, 'password_ok', 'bind'],
      ['alice@corp.example', PW.wrong, 'invalid_credentials', 'bind'],
      ['nobody@corp.example', PW.alice, 'invalid_credentials', 'search'],
      ['locked@corp.example', PW.locked, 'locked', 'bind'],
      ['disabled@corp.example', PW.disabled, 'disabled', 'bind'],
      ['bob@corp.example', PW.bob, 'password_ok', 'bind'],
    ];
    for (const [upn, password, outcome, stage] of table) {
      const answer = await ask(upn, password);
      assert.equal(answer.outcome, outcome, upn);
      assert.equal(answer.stage, stage, upn);
      assert.equal(answer.server, slapd.url);
    }
  });

  it('escapes the user name: filter injection matches nothing', async () => {
    for (const upn of ['*)(uid=*@corp.example', '*@corp.example', 'alice)(uid=*@corp.example', 'al*@corp.example']) {
      const answer = await ask(upn, PW.alice);
      assert.equal(answer.outcome, 'invalid_credentials', upn);
      assert.equal(answer.stage, 'search', upn);
    }
  });

  it('never binds with an empty password (an anonymous bind would succeed)', async () => {
    await assert.rejects(ask('alice@corp.example', ''), (e: unknown) => e instanceof BusError && e.code === 'bad_request');
    const resolved = resolveLdapSettings(base, (s) => keyring.openText(s, LDAP_BIND_PASSWORD_CONTEXT));
    assert.ok(resolved.kind === 'ready');
    const directory = new Directory(resolved.settings, { bindPoolSize: 1 });
    try {
      const answer = await directory.verify('alice@corp.example', '', 2000);
      assert.equal(answer.outcome, 'invalid_credentials');
      assert.equal(directory.poolTotals().open, 1, 'only the service connection: no bind connection was taken');
    } finally {
      await directory.close();
    }
  });

  it("syncs the user's LDAP groups into the Tollgate groups of the same names, as source ldap", async () => {
    const answer = await ask('alice@corp.example', PW.alice);
    assert.deepEqual(answer.groups, ['VPN-Admins', 'vpn-users']);
    const held = await groups.groupsOf(db, 'alice@corp.example');
    assert.deepEqual(held, [
      { name: 'VPN-Admins', source: 'ldap' },
      { name: 'tollgate-only', source: 'tollgate' },
      { name: 'vpn-users', source: 'ldap' },
    ]);
    // A wrong password syncs nothing; a group left in LDAP is left in Tollgate at the next proven bind.
    await groups.removeMember(db, 'vpn-users', 'alice@corp.example', 'ldap');
    await ask('alice@corp.example', PW.wrong);
    assert.equal((await groups.groupsOf(db, 'alice@corp.example')).length, 2);
    await ask('alice@corp.example', PW.alice);
    assert.equal((await groups.groupsOf(db, 'alice@corp.example')).length, 3);
  });

  it('speaks ldaps with the test CA, and refuses a server it cannot verify', async () => {
    await putSettings({ urls: [slapd.ldapsUrl], startTls: false });
    assert.equal((await ask('bob@corp.example', PW.bob)).outcome, 'password_ok');
    await putSettings({ urls: [slapd.ldapsUrl], startTls: false, caCertificate: undefined });
    const unverified = await ask('bob@corp.example', PW.bob);
    assert.equal(unverified.outcome, 'unavailable');
    assert.equal(unverified.stage, 'tls');
    await putSettings({ urls: [slapd.url], startTls: true, caCertificate: undefined });
    assert.equal((await ask('bob@corp.example', PW.bob, 'testLdap')).stage, 'tls');
    await putSettings({});
  });

  it('tries the next url when a server does not answer', async () => {
    const dead = `ldap://localhost:${await freeTcpPort()}`;
    await putSettings({ urls: [dead, slapd.url] });
    const answer = await ask('alice@corp.example', PW.alice);
    assert.equal(answer.outcome, 'password_ok');
    assert.equal(answer.server, slapd.url);
    await putSettings({});
  });

  it('keeps the pooled connections across checks and replaces them after slapd restarts', async () => {
    const pooled = await Promise.all(Array.from({ length: 6 }, () => ask('bob@corp.example', PW.bob)));
    assert.ok(pooled.every((a) => a.outcome === 'password_ok'));
    const text = await context.metrics.getSingleMetricAsString('tollgate_ldap_pool_connections');
    assert.match(text, /tollgate_ldap_pool_connections 3\b/, 'one service connection and the two bind connections of the pool');
    await slapd.restart();
    const after = await ask('bob@corp.example', PW.bob);
    assert.equal(after.outcome, 'password_ok');
    assert.equal((await ask('bob@corp.example', PW.wrong)).outcome, 'invalid_credentials');
  });

  it('answers unavailable when slapd is down, and recovers when it is back', async () => {
    await slapd.stop();
    try {
      const answer = await ask('alice@corp.example', PW.alice);
      assert.equal(answer.outcome, 'unavailable');
    } finally {
      await slapd.restart();
    }
    assert.equal((await ask('alice@corp.example', PW.alice)).outcome, 'password_ok');
  });

  it('a wrong service password is a config_error; disabled settings are not_configured', async () => {
    await putSettings({ bindPasswordSealed: keyring.seal('not-the-password', LDAP_BIND_PASSWORD_CONTEXT) });
    const answer = await ask('alice@corp.example', PW.alice);
    assert.equal(answer.outcome, 'config_error');
    assert.equal(answer.stage, 'service_bind');
    await putSettings({ enabled: false });
    assert.equal((await ask('alice@corp.example', PW.alice)).outcome, 'not_configured');
    await putSettings({});
  });

  it('puts no password in its log', () => {
    const log = logLines.join('\n');
    assert.ok(log.includes('alice@corp.example'), 'the log has the checks');
    for (const secret of [...Object.values(PW), SLAPD_SERVICE_PASSWORD]) assert.ok(!log.includes(secret), 'a password leaked into the log');
  });
});
