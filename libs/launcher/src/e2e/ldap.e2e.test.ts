/**
 * LDAP as a password source, end to end: every service in its own process (the ldap-verifier
 * among them) on the real NATS, PostgreSQL and Redis, a real OpenLDAP slapd (StartTLS with a test
 * CA), `radclient` as the NAS and `oathtool` for the codes. A client with `passwordSources:
 * ["ldap"]` accepts an LDAP user's password with the code; `["ldap", "entra"]` asks Entra only
 * when slapd is down, never when slapd said the password is wrong.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  SLAPD_BASE_DN,
  SLAPD_SERVICE_DN,
  SLAPD_SERVICE_PASSWORD,
  oathtoolTotp,
  radclient,
  startSlapd,
  type Slapd,
} from '@tollgate/testkit';
import { startDistributedStack } from './distributed-stack.js';
import type { Stack } from './stack.js';

const DOMAIN = 'contoso.com';
const RADIUS_SECRET = `nas-${randomBytes(12).toString('hex')}`;
const LDAP_NAS = '127.0.0.5';
const FALLBACK_NAS = '127.0.0.6';
const PW = {
  alice: `Ldap-Alice-${randomBytes(4).toString('hex')}`,
  daveLdap: `Ldap-Dave-${randomBytes(4).toString('hex')}`,
  daveEntra: `Entra-Dave-${randomBytes(4).toString('hex')}`,
  erin: `Ldap-Erin-${randomBytes(4).toString('hex')}`,
};

let stack: Stack & { output(): string[] };
let slapd: Slapd;
const seeds = new Map<string, string>();

async function enroll(name: string): Promise<string> {
  const upn = `${name}@${DOMAIN}`;
  await stack.admin.call('POST', '/api/v1/users', { username: upn });
  const { secret } = await stack.admin.call<{ secret: string }>('POST', `/api/v1/users/${upn}/totp`, {});
  seeds.set(upn, secret);
  return upn;
}

/** The code of the time step `steps` away from now (the verifier takes one step of drift either way). */
const code = (upn: string, steps = 0) =>
  oathtoolTotp({ base32Secret: seeds.get(upn) as string, digits: 6, period: 30, algorithm: 'SHA1', atMs: Date.now() + steps * 30_000 });

const auth = (from: string, username: string, password: string) =>
  radclient({
    port: stack.radiusPort,
    secret: RADIUS_SECRET,
    attributes: { 'User-Name': username, 'User-Password': password, 'NAS-Identifier': 'vpn-ldap', 'Packet-Src-IP-Address': from },
    timeoutSec: 4,
    retries: 1,
  });

async function lastReason(upn: string, count: number): Promise<string | undefined> {
  for (let i = 0; i < 100; i++) {
    const reasons = await stack.admin.reasons(upn, count);
    if (reasons.length >= count) return reasons[0];
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}

before(async () => {
  slapd = await startSlapd({
    users: [
      { uid: 'alice', password: PW.alice },
      { uid: 'dave', password: PW.daveLdap },
      { uid: 'erin', password: PW.erin },
    ],
    groups: [{ cn: 'vpn-users', members: ['alice'] }],
  });
  stack = await startDistributedStack();
  await stack.admin.useEntraStandIn(stack.entra, DOMAIN);
  await stack.admin.call('PUT', '/api/v1/settings/ldap', {
    enabled: true,
    urls: [slapd.url],
    startTls: true,
    caCertificate: slapd.caPem,
    bindDn: SLAPD_SERVICE_DN,
    bindPassword: SLAPD_SERVICE_PASSWORD,
    baseDn: SLAPD_BASE_DN,
    userFilter: '(&(objectClass=inetOrgPerson)(uid={local}))',
    groupFilter: '(&(objectClass=groupOfNames)(member={dn}))',
  });
  await stack.admin.call('POST', '/api/v1/radius-clients', {
    name: 'ldap-nas',
    address: LDAP_NAS,
    secret: RADIUS_SECRET,
    passwordSources: ['ldap'],
  });
  await stack.admin.call('POST', '/api/v1/radius-clients', {
    name: 'fallback-nas',
    address: FALLBACK_NAS,
    secret: RADIUS_SECRET,
    passwordSources: ['ldap', 'entra'],
  });
  await stack.admin.call('POST', '/api/v1/groups', { name: 'vpn-users' });
  // Dave has an Entra account too, with another password; Alice is in LDAP only.
  stack.entra.setUser(`dave@${DOMAIN}`, { password: PW.daveEntra, kind: 'mfa' });
  await enroll('alice');
  await enroll('dave');
  await enroll('erin');
  await new Promise((r) => setTimeout(r, 200));
});

after(async () => {
  await stack?.stop();
  await slapd?.close();
});

test('["ldap"]: an LDAP password with a valid code accepts; a wrong one rejects as ldap.invalid_credentials', async () => {
  const upn = `alice@${DOMAIN}`;
  const wrong = await auth(LDAP_NAS, upn, `not-her-password${await code(upn, -1)}`);
  assert.equal(wrong.code, 'Access-Reject', wrong.raw);
  assert.equal(await lastReason(upn, 1), 'ldap.invalid_credentials');
  const ok = await auth(LDAP_NAS, upn, PW.alice + (await code(upn)));
  assert.equal(ok.code, 'Access-Accept', ok.raw);
  assert.equal(await lastReason(upn, 2), 'ok');
  assert.equal(stack.entra.requests.last.filter((r) => r.username === upn).length, 0, 'Entra was never asked');
  // The bind synced her LDAP group into the Tollgate group of the same name.
  const group = await stack.admin.call<{ members: Array<{ upn: string; source: string }> }>('GET', '/api/v1/groups/vpn-users');
  assert.deepEqual(
    group.members.map((m) => [m.upn, m.source]),
    [[upn, 'ldap']],
  );
});

test('["ldap", "entra"]: slapd saying "wrong password" is final; Entra is asked only while slapd is down', async () => {
  const upn = `dave@${DOMAIN}`;
  const entraCalls = () => stack.entra.requests.last.filter((r) => r.username === upn).length;
  // Dave's Entra password is wrong for LDAP: LDAP says so, and Entra is not asked.
  const wrong = await auth(FALLBACK_NAS, upn, PW.daveEntra + (await code(upn, -1)));
  assert.equal(wrong.code, 'Access-Reject', wrong.raw);
  assert.equal(await lastReason(upn, 1), 'ldap.invalid_credentials');
  assert.equal(entraCalls(), 0, 'a wrong LDAP password never reaches Entra');
  await slapd.stop();
  try {
    const fallback = await auth(FALLBACK_NAS, upn, PW.daveEntra + (await code(upn)));
    assert.equal(fallback.code, 'Access-Accept', fallback.raw);
    assert.equal(await lastReason(upn, 2), 'ok');
    assert.equal(entraCalls(), 1, 'Entra decided while slapd was down');
    // The LDAP-only client has nowhere to go.
    const alice = `alice@${DOMAIN}`;
    const down = await auth(LDAP_NAS, alice, PW.alice + (await code(alice, 1)));
    assert.equal(down.code, 'Access-Reject', down.raw);
    assert.equal(await lastReason(alice, 3), 'ldap.unavailable');
  } finally {
    await slapd.restart();
  }
  // slapd back: LDAP decides again, with its own password.
  const back = await auth(FALLBACK_NAS, upn, PW.daveLdap + (await code(upn, 1)));
  assert.equal(back.code, 'Access-Accept', back.raw);
  assert.equal(entraCalls(), 1, 'Entra not asked once slapd answers');
});

test('wrong LDAP passwords count towards the wrong-password limit (policy.rate_limited)', async () => {
  const upn = `erin@${DOMAIN}`;
  await stack.admin.call('PUT', '/api/v1/settings/policy', { otpMaxFailures: 5, otpLockoutSeconds: 900, passwordMaxFailures: 3 });
  await new Promise((r) => setTimeout(r, 200));
  for (let i = 1; i <= 3; i++) {
    const wrong = await auth(LDAP_NAS, upn, `wrong-${i}${await code(upn, -1)}`);
    assert.equal(wrong.code, 'Access-Reject', wrong.raw);
    assert.equal(await lastReason(upn, i), 'ldap.invalid_credentials');
  }
  // The right password now: refused before the directory is asked.
  const limited = await auth(LDAP_NAS, upn, PW.erin + (await code(upn)));
  assert.equal(limited.code, 'Access-Reject', limited.raw);
  assert.equal(await lastReason(upn, 4), 'policy.rate_limited');
});

test('no password, code or LDAP bind password in any log line', () => {
  const log = stack.output().join('\n');
  assert.ok(log.length > 0);
  for (const secret of [...Object.values(PW), SLAPD_SERVICE_PASSWORD, RADIUS_SECRET]) assert.ok(!log.includes(secret), 'a secret leaked');
});
