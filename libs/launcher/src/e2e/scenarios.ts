import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  RawRadiusSocket,
  encodeAccessRequest,
  metricValue,
  oathtoolTotp,
  radclient,
  radiusPackage,
  type EntraStandInUserKind,
} from '@tollgate/testkit';
import { parseRfc5424 } from '@tollgate/syslog';
import type { Stack } from './stack.js';
import { exposedMetrics, missingMetrics, referencedMetricNames } from './observability-files.js';

/**
 * The end-to-end RADIUS scenarios, one list for every deployment mode: a real `radclient`
 * against a running Tollgate, codes from the independent `oathtool`, Entra played by the
 * local stand-in of its v2.0 token endpoint.
 */
export const DOMAIN = 'contoso.com';
const RADIUS_SECRET = `nas-${randomBytes(12).toString('hex')}`;
/** Source addresses of the NASes in otpMode `challenge` and `auto` (loopback, so radclient can send from them). */
const CHALLENGE_NAS = '127.0.0.3';
const AUTO_NAS = '127.0.0.4';

interface Enrolled {
  upn: string;
  password: string;
  seed: string;
  digits: 6 | 8;
  period: 30 | 60;
  algorithm: 'SHA1' | 'SHA256' | 'SHA512';
}

/** Every secret a scenario used, so the log check can search for each one. */
const secretsUsed = new Set<string>([RADIUS_SECRET]);

export function defineScenarios(start: () => Promise<Stack>): void {
  let stack: Stack;
  const enrolled = new Map<string, Enrolled>();

  const auth = (
    username: string,
    password: string,
    extra: Record<string, string> = {},
    options: { secret?: string; messageAuthenticator?: boolean; timeoutSec?: number; retries?: number; port?: number } = {},
  ) => {
    secretsUsed.add(password);
    return radclient({
      port: options.port ?? stack.radiusPort,
      secret: options.secret ?? RADIUS_SECRET,
      attributes: { 'User-Name': username, 'User-Password': password, 'NAS-Identifier': 'vpn-1', ...extra },
      timeoutSec: options.timeoutSec ?? 4,
      retries: options.retries ?? 1,
      messageAuthenticator: options.messageAuthenticator ?? true,
    });
  };

  const code = async (user: Enrolled, atMs = Date.now()) => {
    const value = await oathtoolTotp({
      base32Secret: user.seed,
      digits: user.digits,
      period: user.period,
      algorithm: user.algorithm,
      atMs,
    });
    secretsUsed.add(value);
    return value;
  };

  /** A Tollgate user with a TOTP token and a matching Entra account of the given kind. */
  async function enroll(
    name: string,
    kind: EntraStandInUserKind,
    token: Partial<Pick<Enrolled, 'digits' | 'period' | 'algorithm'>> & { hardwareSeed?: string } = {},
  ): Promise<Enrolled> {
    const upn = `${name}@${DOMAIN}`;
    const password = `Pw-${randomBytes(6).toString('base64url')}!`;
    stack.entra.setUser(upn, { password, kind });
    await stack.admin.call('POST', '/api/v1/users', { username: upn, displayName: name });
    let seed: string;
    const digits = token.digits ?? 6;
    const period = token.period ?? 30;
    const algorithm = token.algorithm ?? 'SHA1';
    if (token.hardwareSeed) {
      seed = token.hardwareSeed;
      await stack.admin.call('PUT', `/api/v1/users/${upn}/totp`, { secret: seed, digits, period, algorithm, serial: `HW-${name}` });
    } else {
      const generated = await stack.admin.call<{ secret: string; otpauthUri: string }>('POST', `/api/v1/users/${upn}/totp`, {
        digits,
        period,
        algorithm,
      });
      assert.match(generated.otpauthUri, /^otpauth:\/\/totp\//);
      seed = generated.secret;
    }
    secretsUsed.add(seed);
    const user = { upn, password, seed, digits, period, algorithm };
    enrolled.set(name, user);
    return user;
  }

  /** Waits for the batched auth log, then returns the newest reason for the user. */
  async function lastReason(username: string): Promise<string | undefined> {
    for (let i = 0; i < 50; i++) {
      const reasons = await stack.admin.call<{ events: Array<{ reason: string; at: string }> }>(
        'GET',
        `/api/v1/auth-events?username=${encodeURIComponent(username)}&limit=1`,
      );
      if (reasons.events[0]) return reasons.events[0].reason;
      await new Promise((r) => setTimeout(r, 50));
    }
    return undefined;
  }

  async function reasonsFor(username: string, count: number): Promise<string[]> {
    for (let i = 0; i < 50; i++) {
      const reasons = await stack.admin.reasons(username, count);
      if (reasons.length >= count) return reasons;
      await new Promise((r) => setTimeout(r, 50));
    }
    return stack.admin.reasons(username, count);
  }

  before(async () => {
    stack = await start();
    await stack.admin.useEntraStandIn(stack.entra, DOMAIN);
    await stack.admin.call('POST', '/api/v1/radius-clients', { name: 'vpn-1', address: '127.0.0.1', secret: RADIUS_SECRET });
    await stack.admin.call('POST', '/api/v1/radius-clients', {
      name: 'legacy-nas',
      address: '127.0.0.2/32',
      secret: RADIUS_SECRET,
      requireMessageAuthenticator: false,
    });
    // NASes that ask for the code in a second prompt (Access-Challenge), or take either shape.
    await stack.admin.call('POST', '/api/v1/radius-clients', {
      name: 'prompting-nas',
      address: CHALLENGE_NAS,
      secret: RADIUS_SECRET,
      otpMode: 'challenge',
    });
    await stack.admin.call('POST', '/api/v1/radius-clients', {
      name: 'auto-nas',
      address: AUTO_NAS,
      secret: RADIUS_SECRET,
      otpMode: 'auto',
    });
  });

  after(async () => {
    await stack?.stop();
  });

  test('accept: right password, fresh code from oathtool, MFA account', async () => {
    const alice = await enroll('alice', 'mfa');
    const reply = await auth(alice.upn, alice.password + (await code(alice)));
    assert.equal(reply.code, 'Access-Accept', reply.raw);
    assert.equal(reply.attributeList[0]?.[0], 'Message-Authenticator', 'Message-Authenticator must come first');
    assert.equal(await lastReason(alice.upn), 'ok');
  });

  test('a bare user name gets the configured domain', async () => {
    const bob = await enroll('bob', 'mfa');
    const reply = await auth('bob', bob.password + (await code(bob)));
    assert.equal(reply.code, 'Access-Accept', reply.raw);
  });

  test('replay: the same code is refused the second time', async () => {
    const carl = await enroll('carl', 'mfa');
    const typed = carl.password + (await code(carl));
    assert.equal((await auth(carl.upn, typed)).code, 'Access-Accept');
    const replay = await auth(carl.upn, typed);
    assert.equal(replay.code, 'Access-Reject');
    assert.equal(replay.attributes['Reply-Message'], 'Authentication failed');
    assert.deepEqual(await reasonsFor(carl.upn, 2), ['otp.replayed', 'ok']);
  });

  test('wrong password with a valid code', async () => {
    const dana = await enroll('dana', 'mfa');
    const reply = await auth(dana.upn, `wrong-${dana.password}${await code(dana)}`);
    assert.equal(reply.code, 'Access-Reject');
    assert.equal(reply.attributes['Reply-Message'], 'Authentication failed');
    assert.equal(await lastReason(dana.upn), 'entra.invalid_credentials');
  });

  test('right password with a wrong code', async () => {
    const eric = await enroll('eric', 'mfa');
    const right = await code(eric);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    const reply = await auth(eric.upn, eric.password + wrong);
    assert.equal(reply.code, 'Access-Reject');
    assert.equal(await lastReason(eric.upn), 'otp.invalid');
  });

  test('Entra issued a token: the account has no MFA and is refused', async () => {
    const fay = await enroll('fay', 'no_mfa');
    const reply = await auth(fay.upn, fay.password + (await code(fay)));
    assert.equal(reply.code, 'Access-Reject');
    assert.equal(await lastReason(fay.upn), 'entra.no_mfa');
  });

  test('locked and disabled Entra accounts are refused with their reasons', async () => {
    const gus = await enroll('gus', 'locked');
    const hal = await enroll('hal', 'disabled');
    assert.equal((await auth(gus.upn, gus.password + (await code(gus)))).code, 'Access-Reject');
    assert.equal((await auth(hal.upn, hal.password + (await code(hal)))).code, 'Access-Reject');
    assert.equal(await lastReason(gus.upn), 'entra.locked');
    assert.equal(await lastReason(hal.upn), 'entra.disabled');
  });

  test('a hardware token: 8 digits, SHA256, 60 s period', async () => {
    const ida = await enroll('ida', 'mfa_basic_action', {
      digits: 8,
      period: 60,
      algorithm: 'SHA256',
      hardwareSeed: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
    });
    const reply = await auth(ida.upn, ida.password + (await code(ida)));
    assert.equal(reply.code, 'Access-Accept', reply.raw);
  });

  test('a user Tollgate does not know is refused without asking Entra', async () => {
    const before = stack.entra.requests.count;
    const reply = await auth(`nobody@${DOMAIN}`, 'Whatever-1123456');
    assert.equal(reply.code, 'Access-Reject');
    assert.equal(await lastReason(`nobody@${DOMAIN}`), 'user.unknown');
    assert.equal(stack.entra.requests.count, before);
  });

  test('an admin change reaches the running services: a disabled user is refused at once', async () => {
    const jay = await enroll('jay', 'mfa');
    assert.equal((await auth(jay.upn, jay.password + (await code(jay)))).code, 'Access-Accept');
    await stack.admin.call('PATCH', `/api/v1/users/${jay.upn}`, { enabled: false });
    await new Promise((r) => setTimeout(r, 100));
    const reply = await auth(jay.upn, jay.password + (await code(jay, Date.now() + 30_000)));
    assert.equal(reply.code, 'Access-Reject');
    assert.deepEqual(await reasonsFor(jay.upn, 2), ['user.disabled', 'ok']);
  });

  test('repeated wrong codes lock the second factor, even for the right code', async () => {
    await stack.admin.call('PUT', '/api/v1/settings/policy', { otpMaxFailures: 3, otpLockoutSeconds: 60 });
    await new Promise((r) => setTimeout(r, 100));
    const kim = await enroll('kim', 'mfa');
    for (let i = 0; i < 3; i++) assert.equal((await auth(kim.upn, `${kim.password}00000${i}`)).code, 'Access-Reject');
    // Locked now: nothing she sends reaches Entra any more, right code, wrong code or wrong password.
    const entraBefore = stack.entra.requests.count;
    const reply = await auth(kim.upn, kim.password + (await code(kim)));
    assert.equal(reply.code, 'Access-Reject');
    for (const typed of [`${kim.password}000009`, `not-her-password${await code(kim)}`])
      assert.equal((await auth(kim.upn, typed)).code, 'Access-Reject');
    assert.deepEqual(await reasonsFor(kim.upn, 6), ['otp.locked', 'otp.locked', 'otp.locked', 'otp.locked', 'otp.invalid', 'otp.invalid']);
    assert.equal(stack.entra.requests.count, entraBefore, 'a locked user is refused without asking Entra');
    await stack.admin.call('PUT', '/api/v1/settings/policy', { otpMaxFailures: 5, otpLockoutSeconds: 900 });
  });

  test('wrong passwords: past the user limit, then the source limit, Entra is asked no more (policy.rate_limited)', async () => {
    const limits = { passwordMaxFailures: 2, sourceMaxFailures: 3, passwordFailureWindowSeconds: 60 };
    await stack.admin.call('PUT', '/api/v1/settings/policy', { otpMaxFailures: 5, otpLockoutSeconds: 900, ...limits });
    await new Promise((r) => setTimeout(r, 100));
    try {
      // Sources of this run only (Redis outlives a run); the NAS passes the VPN client's address here.
      const run = randomBytes(4).toString('hex');
      const [stationA, stationB] = [`203.0.113.10-${run}`, `203.0.113.11-${run}`];
      const rex = await enroll('rex', 'mfa');
      const sam = await enroll('sam', 'mfa');
      const before = await stack.metrics();
      for (let i = 0; i < 2; i++) {
        const reply = await auth(rex.upn, `guess-${i}-${rex.password}${await code(rex)}`, { 'Calling-Station-Id': stationA });
        assert.equal(reply.code, 'Access-Reject');
      }
      // At the user's limit: nothing reaches Entra, right password or wrong, from any source.
      const entraAtLimit = stack.entra.requests.count;
      for (const [typed, station] of [
        [rex.password + (await code(rex)), stationA],
        [`guess-2-${rex.password}${await code(rex)}`, stationB],
      ] as const) {
        assert.equal((await auth(rex.upn, typed, { 'Calling-Station-Id': station })).code, 'Access-Reject');
      }
      assert.equal(stack.entra.requests.count, entraAtLimit, 'a rate-limited user is refused without asking Entra');
      assert.deepEqual(await reasonsFor(rex.upn, 4), [
        'policy.rate_limited',
        'policy.rate_limited',
        'entra.invalid_credentials',
        'entra.invalid_credentials',
      ]);
      // One more wrong password from station A, by another user, brings the source to its limit (3).
      assert.equal(
        (await auth(sam.upn, `guess-${sam.password}${await code(sam)}`, { 'Calling-Station-Id': stationA })).code,
        'Access-Reject',
      );
      const entraAtSourceLimit = stack.entra.requests.count;
      const fresh = await code(sam, Date.now() + sam.period * 1000);
      assert.equal((await auth(sam.upn, sam.password + fresh, { 'Calling-Station-Id': stationA })).code, 'Access-Reject');
      assert.equal(stack.entra.requests.count, entraAtSourceLimit, 'a rate-limited source is refused without asking Entra');
      // Sam herself is below her limit: from another source her password and code let her in.
      assert.equal((await auth(sam.upn, sam.password + fresh, { 'Calling-Station-Id': stationB })).code, 'Access-Accept');
      assert.deepEqual(await reasonsFor(sam.upn, 3), ['ok', 'policy.rate_limited', 'entra.invalid_credentials']);
      const after = await stack.metrics();
      const delta = (labels: Record<string, string>) =>
        metricValue(after, 'tollgate_aggregator_rate_limited_total', labels) -
        metricValue(before, 'tollgate_aggregator_rate_limited_total', labels);
      assert.deepEqual([delta({ limit: 'user' }), delta({ limit: 'source' })], [2, 1]);
    } finally {
      await stack.admin.call('PUT', '/api/v1/settings/policy', {
        otpMaxFailures: 5,
        otpLockoutSeconds: 900,
        passwordMaxFailures: 5,
        sourceMaxFailures: 20,
        passwordFailureWindowSeconds: 900,
      });
    }
  });

  test('otp_first: a wrong code causes no Entra request; a right one is then checked with Entra', async () => {
    await stack.admin.call('PUT', '/api/v1/settings/policy', { otpMaxFailures: 5, otpLockoutSeconds: 900, verificationOrder: 'otp_first' });
    await new Promise((r) => setTimeout(r, 100));
    try {
      const wes = await enroll('wes', 'mfa');
      const right = await code(wes);
      const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
      const entraBefore = stack.entra.requests.count;
      assert.equal((await auth(wes.upn, wes.password + wrong)).code, 'Access-Reject');
      assert.equal((await auth(wes.upn, `not-his-password${wrong}`)).code, 'Access-Reject');
      assert.equal(stack.entra.requests.count, entraBefore, 'a wrong code reached Entra');
      assert.equal((await auth(wes.upn, wes.password + right)).code, 'Access-Accept');
      assert.equal(stack.entra.requests.count, entraBefore + 1);
      assert.deepEqual(await reasonsFor(wes.upn, 3), ['ok', 'otp.invalid', 'otp.invalid']);
    } finally {
      await stack.admin.call('PUT', '/api/v1/settings/policy', {
        otpMaxFailures: 5,
        otpLockoutSeconds: 900,
        verificationOrder: 'parallel',
      });
    }
  });

  /** A group with the given policy and members, made through the admin API; running services hear of it at once. */
  async function groupWith(name: string, policy: Record<string, unknown>, members: string[]): Promise<void> {
    await stack.admin.call('POST', '/api/v1/groups', { name });
    await stack.admin.call('PUT', `/api/v1/groups/${name}/policy`, policy);
    for (const upn of members) await stack.admin.call('PUT', `/api/v1/groups/${name}/members/${upn}`);
    await new Promise((r) => setTimeout(r, 100));
  }

  test("groups: an accept carries the reply attributes of the user's groups, by group name, as radclient -x prints them", async () => {
    const gwen = await enroll('gwen', 'mfa');
    await groupWith(
      'vpn-admins',
      {
        replyAttributes: [
          { name: 'Fortinet-Group-Name', value: 'vpn-admins' },
          { name: 'Filter-Id', value: 'admin-acl' },
          { name: 'Session-Timeout', value: 28800 },
        ],
      },
      [gwen.upn],
    );
    await groupWith(
      'all-staff',
      {
        replyAttributes: [
          { name: 'Cisco-AVPair', value: 'shell:priv-lvl=15' },
          { name: 'PaloAlto-User-Group', value: 'staff' },
          { name: 'Session-Timeout', value: 28800 },
          { name: 'Class', value: '0x746f6c6c67617465' },
        ],
      },
      [gwen.upn],
    );
    const reply = await auth(gwen.upn, gwen.password + (await code(gwen)));
    assert.equal(reply.code, 'Access-Accept', reply.raw);
    assert.equal(reply.attributeList[0]?.[0], 'Message-Authenticator');
    // all-staff before vpn-admins; the Session-Timeout both set is sent once, where it first comes.
    assert.deepEqual(
      reply.attributeList.slice(1),
      [
        ['Cisco-AVPair', 'shell:priv-lvl=15'],
        ['PaloAlto-User-Group', 'staff'],
        ['Session-Timeout', '28800'],
        ['Class', '0x746f6c6c67617465'],
        ['Fortinet-Group-Name', 'vpn-admins'],
        ['Filter-Id', 'admin-acl'],
      ],
      reply.raw,
    );
    assert.equal(await lastReason(gwen.upn), 'ok');
    // A reject carries none of them.
    // From a station of its own, so this wrong password counts against no other scenario's source.
    const station = { 'Calling-Station-Id': `203.0.113.20-${randomBytes(4).toString('hex')}` };
    const wrong = await auth(gwen.upn, `not-her-password${await code(gwen, Date.now() + 30_000)}`, station);
    assert.equal(wrong.code, 'Access-Reject');
    assert.deepEqual(
      wrong.attributeList.map(([name]) => name).filter((name) => name !== 'Message-Authenticator' && name !== 'Reply-Message'),
      [],
    );
  });

  test('groups: an mfaExempt member with a token-issued Entra account signs in without a code (ok.exempt), and not once removed', async () => {
    const sid = await enroll('sid', 'no_mfa');
    // A service account Tollgate has no token for.
    const svc = `svc-print@${DOMAIN}`;
    const svcPassword = `Pw-${randomBytes(6).toString('base64url')}!`;
    secretsUsed.add(svcPassword);
    stack.entra.setUser(svc, { password: svcPassword, kind: 'no_mfa' });
    await stack.admin.call('POST', '/api/v1/users', { username: svc });
    await groupWith('service-accounts', { mfaExempt: true, replyAttributes: [{ name: 'Filter-Id', value: 'svc-acl' }] }, [sid.upn, svc]);
    const accepted = await auth(sid.upn, sid.password);
    assert.equal(accepted.code, 'Access-Accept', accepted.raw);
    assert.deepEqual(accepted.attributeList.slice(1), [['Filter-Id', 'svc-acl']]);
    assert.equal(await lastReason(sid.upn), 'ok.exempt');
    assert.equal((await auth(svc, svcPassword)).code, 'Access-Accept');
    assert.equal(await lastReason(svc), 'ok.exempt');
    // A wrong password is still a reject, counted like any other.
    const station = { 'Calling-Station-Id': `203.0.113.21-${randomBytes(4).toString('hex')}` };
    assert.equal((await auth(svc, `${svcPassword}x`, station)).code, 'Access-Reject');
    assert.deepEqual(await reasonsFor(svc, 2), ['entra.invalid_credentials', 'ok.exempt']);
    // Out of the group, the same account is refused as any account without MFA.
    await stack.admin.call('DELETE', `/api/v1/groups/service-accounts/members/${sid.upn}`);
    await new Promise((r) => setTimeout(r, 100));
    const refused = await auth(sid.upn, sid.password + (await code(sid)));
    assert.equal(refused.code, 'Access-Reject');
    assert.deepEqual(await reasonsFor(sid.upn, 2), ['entra.no_mfa', 'ok.exempt']);
  });

  test('groups: a user whose groups allow only another RADIUS client is refused (policy.client_not_allowed) without asking Entra', async () => {
    const tia = await enroll('tia', 'mfa');
    await groupWith('legacy-only', { allowedClients: ['legacy-nas'] }, [tia.upn]);
    const entraBefore = stack.entra.requests.count;
    const reply = await auth(tia.upn, tia.password + (await code(tia)));
    assert.equal(reply.code, 'Access-Reject');
    assert.equal(await lastReason(tia.upn), 'policy.client_not_allowed');
    assert.equal(stack.entra.requests.count, entraBefore, 'a client the groups do not allow was checked with Entra');
    // Allowed once a group names this client too.
    await groupWith('vpn-users', { allowedClients: ['vpn-1'] }, [tia.upn]);
    assert.equal((await auth(tia.upn, tia.password + (await code(tia, Date.now() + 30_000)))).code, 'Access-Accept');
  });

  test('unknown client, bad shared secret and missing Message-Authenticator are dropped and counted', async () => {
    const lee = await enroll('lee', 'mfa');
    const typed = lee.password + (await code(lee));
    const before = await stack.metrics();
    const unknown = await auth(lee.upn, typed, { 'Packet-Src-IP-Address': '127.0.0.9' }, { timeoutSec: 1 });
    const badSecret = await auth(lee.upn, typed, {}, { secret: 'not-the-shared-secret', timeoutSec: 1 });
    const noMa = await auth(lee.upn, typed, {}, { messageAuthenticator: false, timeoutSec: 1 });
    assert.deepEqual([unknown.code, badSecret.code, noMa.code], ['timeout', 'timeout', 'timeout']);
    const after = await stack.metrics();
    for (const cause of ['unknown_client', 'bad_message_authenticator', 'missing_message_authenticator']) {
      const delta =
        metricValue(after, 'tollgate_radius_dropped_total', { cause }) - metricValue(before, 'tollgate_radius_dropped_total', { cause });
      assert.equal(delta, 1, `dropped ${cause}`);
    }
    // None of them reached a verifier: the code is still good.
    assert.equal((await auth(lee.upn, typed)).code, 'Access-Accept');
  });

  test('a legacy NAS allowed to omit Message-Authenticator is still answered', async () => {
    const max = await enroll('max', 'mfa');
    const reply = await auth(
      max.upn,
      max.password + (await code(max)),
      { 'Packet-Src-IP-Address': '127.0.0.2' },
      { messageAuthenticator: false },
    );
    assert.equal(reply.code, 'Access-Accept', reply.raw);
  });

  /** The State of an Access-Challenge as radclient prints it (0x-hex), checked to be one. */
  function stateOf(reply: Awaited<ReturnType<typeof auth>>): string {
    assert.equal(reply.code, 'Access-Challenge', reply.raw);
    assert.equal(reply.attributeList[0]?.[0], 'Message-Authenticator', 'Message-Authenticator must come first');
    const state = reply.attributes.State;
    assert.match(state ?? '', /^0x[0-9a-f]{64}$/, reply.raw);
    return state!;
  }

  test('challenge: the password, then the code with the State (on another gateway replica where there is one); the State cannot be used twice', async () => {
    const pia = await enroll('pia', 'mfa');
    const from = { 'Packet-Src-IP-Address': CHALLENGE_NAS };
    const entraBefore = stack.entra.requests.count;
    const first = await auth(pia.upn, pia.password, from);
    const state = stateOf(first);
    assert.equal(first.attributes['Reply-Message'], 'Enter the code from your authenticator app');
    assert.equal(stack.entra.requests.count, entraBefore + 1);
    assert.equal(await lastReason(pia.upn), 'challenge.issued');
    const followUp = { ...from, State: state };
    const accepted = await auth(pia.upn, await code(pia), followUp, { port: stack.secondRadiusPort ?? stack.radiusPort });
    assert.equal(accepted.code, 'Access-Accept', accepted.raw);
    assert.equal(stack.entra.requests.count, entraBefore + 1, 'the follow-up does not ask Entra again');
    assert.deepEqual(await reasonsFor(pia.upn, 2), ['ok', 'challenge.issued']);
    // The same State again, even with the next code, is refused.
    const again = await auth(pia.upn, await code(pia, Date.now() + 30_000), followUp);
    assert.equal(again.code, 'Access-Reject');
    assert.deepEqual(await reasonsFor(pia.upn, 3), ['challenge.replayed', 'ok', 'challenge.issued']);
    // A State Tollgate never issued is refused as unknown.
    const unknown = await auth(pia.upn, await code(pia, Date.now() + 60_000), { ...from, State: `0x${'ab'.repeat(32)}` });
    assert.equal(unknown.code, 'Access-Reject');
    assert.equal((await reasonsFor(pia.upn, 4))[0], 'challenge.unknown');
  });

  test('challenge: a wrong password is rejected at once; three wrong codes end the dialogue, the right one after them included', async () => {
    const quin = await enroll('quin', 'mfa');
    const from = { 'Packet-Src-IP-Address': CHALLENGE_NAS, 'Calling-Station-Id': `203.0.113.30-${randomBytes(4).toString('hex')}` };
    const wrong = await auth(quin.upn, `${quin.password}x`, from);
    assert.equal(wrong.code, 'Access-Reject', 'no challenge for a wrong password');
    assert.equal(await lastReason(quin.upn), 'entra.invalid_credentials');
    const state = stateOf(await auth(quin.upn, quin.password, from));
    const right = await code(quin);
    const wrongCode = right === '000000' ? '111111' : '000000';
    const retry = await auth(quin.upn, wrongCode, { ...from, State: state });
    assert.equal(stateOf(retry), state, 'asked again under the same State');
    assert.equal(retry.attributes['Reply-Message'], 'Wrong code, try again');
    assert.equal(stateOf(await auth(quin.upn, wrongCode, { ...from, State: state })), state);
    assert.equal((await auth(quin.upn, wrongCode, { ...from, State: state })).code, 'Access-Reject');
    assert.equal((await auth(quin.upn, right, { ...from, State: state })).code, 'Access-Reject');
    assert.deepEqual(await reasonsFor(quin.upn, 6), [
      'challenge.replayed',
      'otp.invalid',
      'otp.invalid',
      'otp.invalid',
      'challenge.issued',
      'entra.invalid_credentials',
    ]);
  });

  test('auto: the password with the code is accepted in one request; the password alone is challenged; Entra is asked once each', async () => {
    const uma = await enroll('uma', 'mfa');
    const from = { 'Packet-Src-IP-Address': AUTO_NAS };
    const entraBefore = stack.entra.requests.count;
    const appended = await auth(uma.upn, uma.password + (await code(uma)), from);
    assert.equal(appended.code, 'Access-Accept', appended.raw);
    assert.equal(stack.entra.requests.count, entraBefore + 1);
    const state = stateOf(await auth(uma.upn, uma.password, from));
    assert.equal(stack.entra.requests.count, entraBefore + 2);
    const accepted = await auth(uma.upn, await code(uma, Date.now() + 30_000), { ...from, State: state });
    assert.equal(accepted.code, 'Access-Accept', accepted.raw);
    assert.equal(stack.entra.requests.count, entraBefore + 2);
    assert.deepEqual(await reasonsFor(uma.upn, 3), ['ok', 'challenge.issued', 'ok']);
  });

  test('a retransmission gets the cached answer and is not a new attempt', async () => {
    const ned = await enroll('ned', 'mfa');
    const socket = new RawRadiusSocket();
    try {
      const entraBefore = stack.entra.requests.count;
      const packet = encodeAccessRequest({
        secret: RADIUS_SECRET,
        identifier: 42,
        username: ned.upn,
        password: ned.password + (await code(ned)),
      });
      const first = await socket.send(stack.radiusPort, packet, 4000);
      const second = await socket.send(stack.radiusPort, packet, 4000);
      assert.ok(first && second, 'both sends answered');
      assert.deepEqual(second, first);
      const decoded = radiusPackage.decode({ packet: first, secret: RADIUS_SECRET });
      assert.equal(decoded.code, 'Access-Accept');
      assert.equal(radiusPackage.verify_response({ request: packet, response: first, secret: RADIUS_SECRET }), true);
      assert.equal(stack.entra.requests.count - entraBefore, 1, 'Entra asked once');
      assert.ok(metricValue(await stack.metrics(), 'tollgate_radius_retransmits_total') >= 1);
      // radclient's own retransmissions (every 0.5 s) while the first attempt is still being
      // decided; Entra's 800 ms stay well inside its 1.5 s timeout on a loaded machine.
      stack.entra.setLatency(800);
      const oz = await enroll('oz', 'mfa');
      const reply = await auth(oz.upn, oz.password + (await code(oz)), {}, { timeoutSec: 0.5, retries: 6 });
      stack.entra.setLatency(0);
      assert.equal(reply.code, 'Access-Accept', reply.raw);
      assert.equal(stack.entra.requests.last.filter((r) => r.username === oz.upn).length, 1);
    } finally {
      stack.entra.setLatency(0);
      socket.close();
    }
  });

  test('a User-Name with a NUL, sent among good requests, is refused alone and leaves the good ones and the auth log whole', async () => {
    const users = await Promise.all(['nul-ann', 'nul-ben', 'nul-cat', 'nul-dan'].map((name) => enroll(name, 'mfa')));
    const typed = await Promise.all(users.map(async (u) => u.password + (await code(u))));
    for (const t of typed) secretsUsed.add(t);
    const badPassword = `Whatever-${randomBytes(4).toString('hex')}123456`;
    secretsUsed.add(badPassword);
    const bad = encodeAccessRequest({
      secret: RADIUS_SECRET,
      identifier: 200,
      username: `nul-mallory\u0000@${DOMAIN}`,
      password: badPassword,
    });
    const good = users.map((u, i) =>
      encodeAccessRequest({ secret: RADIUS_SECRET, identifier: 201 + i, username: u.upn, password: typed[i]! }),
    );
    const before = await stack.metrics();
    const socket = new RawRadiusSocket();
    let replies: Array<Buffer | null>;
    try {
      // All in flight at once, the bad one in the middle, so the good ones share batches with it if it got that far.
      replies = await Promise.all(
        [...good.slice(0, 2), bad, ...good.slice(2)].map((packet) => socket.send(stack.radiusPort, packet, 4000)),
      );
    } finally {
      socket.close();
    }
    const codes = replies.map((reply) => (reply ? radiusPackage.decode({ packet: reply, secret: RADIUS_SECRET }).code : 'timeout'));
    assert.deepEqual(codes, ['Access-Accept', 'Access-Accept', 'Access-Reject', 'Access-Accept', 'Access-Accept']);
    const after = await stack.metrics();
    const delta = (name: string, labels: Record<string, string>) => metricValue(after, name, labels) - metricValue(before, name, labels);
    assert.equal(delta('tollgate_radius_requests_total', { client: 'vpn-1', decision: 'reject', reason: 'request.malformed' }), 1);
    assert.equal(delta('tollgate_radius_requests_total', { client: 'vpn-1', decision: 'accept', reason: 'ok' }), users.length);
    assert.equal(delta('tollgate_radius_invalid_attributes_total', { attribute: 'User-Name', problem: 'control_character' }), 1);
    // Every good decision reached the auth log.
    for (const user of users) assert.equal(await lastReason(user.upn), 'ok', user.upn);
    assert.equal(delta('tollgate_aggregator_auth_log_failures_total', {}), 0);
    // The bad name is in no log line, and asking the admin API for it is a 400, not a 500.
    assert.ok(!stack.output().some((line) => line.includes('nul-mallory')), 'the refused User-Name was logged');
    await stack.admin.call('GET', `/api/v1/auth-events?username=${encodeURIComponent(`nul-mallory\u0000@${DOMAIN}`)}`, undefined, [400]);
  });

  test('Status-Server is answered for NAS health checks', async () => {
    const reply = await radclient({ port: stack.radiusPort, secret: RADIUS_SECRET, code: 'status', timeoutSec: 2 });
    assert.equal(reply.code, 'Access-Accept', reply.raw);
  });

  test('Entra unreachable: rejected within the deadline, not left to time out', async () => {
    const pat = await enroll('pat', 'mfa');
    stack.entra.setLatency(30_000);
    try {
      const started = Date.now();
      const reply = await auth(pat.upn, pat.password + (await code(pat)), {}, { timeoutSec: 5 });
      const elapsed = Date.now() - started;
      assert.equal(reply.code, 'Access-Reject');
      assert.ok(elapsed < stack.decisionTimeoutMs + 500, `answered after ${elapsed} ms`);
      assert.equal(await lastReason(pat.upn), 'entra.unavailable');
    } finally {
      stack.entra.setLatency(0);
    }
  });

  test('the metrics move as the scenarios predict, and the dashboard and alerts use only metrics that exist', async () => {
    const quinn = await enroll('quinn', 'mfa');
    const typed = quinn.password + (await code(quinn));
    const wrong = String((Number(typed.slice(-6)) + 1) % 1_000_000).padStart(6, '0');
    const before = await stack.metrics();
    assert.equal((await auth(quinn.upn, typed)).code, 'Access-Accept');
    assert.equal((await auth(quinn.upn, typed)).code, 'Access-Reject');
    assert.equal((await auth(quinn.upn, quinn.password + wrong)).code, 'Access-Reject');
    assert.deepEqual(await reasonsFor(quinn.upn, 3), ['otp.invalid', 'otp.replayed', 'ok']);
    const after = await stack.metrics();
    const delta = (name: string, labels: Record<string, string> = {}) =>
      metricValue(after, name, labels) - metricValue(before, name, labels);
    const deltaWhere = (name: string, match: (labels: Record<string, string>) => boolean) =>
      sumWhere(after, name, match) - sumWhere(before, name, match);
    // The gateway: one answer per attempt, by client, decision and reason; one latency sample each.
    for (const [decision, reason] of [
      ['accept', 'ok'],
      ['reject', 'otp.replayed'],
      ['reject', 'otp.invalid'],
    ]) {
      assert.equal(
        delta('tollgate_radius_requests_total', { client: 'vpn-1', decision: decision!, reason: reason! }),
        1,
        `${decision} ${reason}`,
      );
    }
    assert.equal(delta('tollgate_radius_request_duration_seconds_count'), 3);
    assert.equal(delta('tollgate_radius_client_lookups_total', { result: 'hit' }), 3);
    // The aggregator and the verifiers: both verifiers asked for every attempt, all over the bus.
    assert.equal(delta('tollgate_aggregator_decisions_total', { decision: 'accept', reason: 'ok' }), 1);
    assert.equal(delta('tollgate_otp_verifications_total', { outcome: 'valid' }), 1);
    assert.equal(delta('tollgate_otp_verifications_total', { outcome: 'replayed' }), 1);
    assert.equal(delta('tollgate_otp_verifications_total', { outcome: 'invalid' }), 1);
    assert.equal(delta('tollgate_otp_replays_total'), 1);
    assert.equal(delta('tollgate_entra_requests_total', { outcome: 'password_ok_mfa', aadsts: '50076' }), 3);
    assert.equal(
      delta('tollgate_aggregator_profile_cache_requests_total', { result: 'hit' }) +
        delta('tollgate_aggregator_profile_cache_requests_total', { result: 'miss' }),
      3,
    );
    assert.equal(
      deltaWhere('tollgate_bus_requests_total', (l) => l.outcome === 'ok' && l.subject!.endsWith('decide')),
      3,
    );
    assert.equal(
      deltaWhere('tollgate_bus_requests_total', (l) => l.outcome === 'ok' && /verify/i.test(l.subject!)),
      6,
    );
    assert.equal(
      deltaWhere('tollgate_bus_requests_total', (l) => l.outcome !== 'ok'),
      0,
    );
    // What the earlier scenarios did is there too.
    assert.ok(metricValue(after, 'tollgate_otp_lockouts_total') >= 1, 'kim locked herself out');
    assert.ok(
      metricValue(after, 'tollgate_entra_requests_total', { outcome: 'invalid_credentials', aadsts: '50126' }) >= 1,
      'dana typed a wrong password',
    );
    assert.ok(
      metricValue(after, 'tollgate_radius_client_lookups_total', { result: 'miss' }) >= 1,
      'a datagram came from an unknown address',
    );
    assert.ok(metricValue(after, 'tollgate_radius_requests_total', { reason: 'entra.no_mfa', client: 'vpn-1', decision: 'reject' }) >= 1);
    // Every metric the dashboard and the alert rules query is one the processes expose.
    const referenced = referencedMetricNames();
    assert.ok(referenced.size > 20, `the dashboard and rules were read (${referenced.size} names)`);
    assert.deepEqual(missingMetrics(referenced, exposedMetrics(after)), []);
  });

  test('logs carry component on every line, and trace ids on the lines of a request', async () => {
    await new Promise((r) => setTimeout(r, 200));
    const lines = stack
      .output()
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(lines.length > 50);
    for (const line of lines) assert.equal(typeof line.component, 'string', JSON.stringify(line));
    const decisions = lines.filter((l) => l.msg === 'decision' || l.msg === 'radius decision');
    assert.ok(decisions.length > 20);
    const traceIds = new Set(stack.spans().map((s) => s.traceId));
    for (const line of decisions) {
      assert.match(String(line.trace_id), /^[0-9a-f]{32}$/, `${line.msg} without trace_id`);
      assert.match(String(line.span_id), /^[0-9a-f]{16}$/);
    }
    // The log lines lead to the traces: (nearly) every decision's trace was exported.
    const found = decisions.filter((l) => traceIds.has(String(l.trace_id))).length;
    assert.ok(found >= decisions.length - 2, `${found} of ${decisions.length} decision lines have their trace`);
  });

  test('syslog: one RFC 5424 message per decision and per admin change', async () => {
    const messages = stack.syslog().map((m) => parseRfc5424(m));
    const decisions = messages.filter((m) => m.msgId === 'decision');
    const admin = messages.filter((m) => m.msgId === 'admin');
    const audited = stack.output().filter((l) => l.includes('"msg":"decision"')).length;
    assert.equal(decisions.length, audited, 'as many syslog decisions as audit lines');
    for (const m of messages) {
      assert.equal(m.appName, 'tollgate');
      assert.equal(m.facility, 10, 'authpriv');
    }
    const quinn = decisions
      .filter((m) => m.structuredData['decision@32473']?.upn === `quinn@${DOMAIN}`)
      .map((m) => m.structuredData['decision@32473']!.reason);
    assert.deepEqual(quinn.sort(), ['ok', 'otp.invalid', 'otp.replayed']);
    assert.ok(admin.some((m) => m.structuredData['admin@32473']?.action === 'radius_client.create'));
    assert.ok(admin.some((m) => m.structuredData['admin@32473']?.action === 'user.totp.generate'));
  });

  test('no password, code, seed or shared secret appears in any log line, span, metric or syslog message', async () => {
    // Let the last batched writes, log lines and span exports land.
    await new Promise((r) => setTimeout(r, 300));
    // Spans: names, attributes, events and statuses (not ids and nanosecond timestamps, whose
    // digits could match a 6-digit code by chance); metrics: names and labels, not sample values.
    const metrics = await stack.metrics();
    const channels: Record<string, string> = {
      logs: stack.output().join('\n'),
      spans: JSON.stringify(
        stack.spans().map((s) => [s.service, s.name, s.attributes, s.status, (s.raw as { events?: unknown }).events ?? []]),
      ),
      metrics: metrics
        .split('\n')
        .map((line) => (line.startsWith('#') ? line : line.replace(/\s+\S+$/, '')))
        .join('\n'),
      syslog: stack.syslog().join('\n'),
    };
    assert.ok(channels.logs!.includes('"decision"'), 'the logs were captured');
    assert.ok(
      stack.spans().some((s) => s.name === 'radius Access-Request' && s.attributes['tollgate.reason'] === 'ok'),
      'the spans were captured',
    );
    assert.ok(channels.metrics!.includes('tollgate_radius_requests_total{client="vpn-1"'), 'the metrics were captured');
    assert.ok(channels.syslog!.includes('decision@32473'), 'the syslog messages were captured');
    for (const [channel, text] of Object.entries(channels)) {
      for (const secret of secretsUsed) assert.ok(!text.includes(secret), `a secret leaked into the ${channel} (length ${secret.length})`);
      for (const user of enrolled.values()) assert.ok(!text.includes(user.seed), `a seed leaked into the ${channel}`);
    }
    // TOLLGATE_TRACE_USERNAMES is off here: no user name on any span.
    assert.ok(!stack.spans().some((s) => 'enduser.id' in s.attributes));
  });
}

/** The sum of a metric's samples whose labels pass `match`. */
function sumWhere(text: string, name: string, match: (labels: Record<string, string>) => boolean): number {
  let total = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\}\s+(\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const labels: Record<string, string> = {};
    for (const pair of m[2]!.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    if (match(labels)) total += Number(m[3]);
  }
  return total;
}
