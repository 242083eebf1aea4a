/**
 * The entra-verifier service end to end: real PostgreSQL for its settings, the in-process bus,
 * and the Entra stand-in as the token endpoint. Every account kind, timeouts, outages,
 * throttling and its short-circuit, config events, connection reuse, and no secret in the logs.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Registry } from 'prom-client';
import { BusError, subject, type EntraVerifyResponse } from '@tollgate/contracts';
import { MemoryBus } from '@tollgate/bus';
import { createLogger } from '@tollgate/logging';
import { Keyring } from '@tollgate/security';
import { DEFAULT_SCOPE, PostgresDb, migrate, settings, type EntraSettings } from '@tollgate/store';
import { publishConfigChanged, type Component, type ServiceContext } from '@tollgate/runtime';
import { createTestDatabase, startEntraStandIn, uniquePrefix, STAND_IN_TOKEN_PREFIX, type EntraStandIn } from '@tollgate/testkit';
import { entraVerifier } from './manifest.js';

/** The main instance's deadline: roomy, so 200 concurrent checks pass on a busy 2-core test box. */
const ROOMY_TIMEOUT_MS = 10_000;
/** The deadline of the instance built for the timeout test alone. */
const TIMEOUT_MS = 400;
const CLIENT_SECRET = 'Client-Secret-Value-5519';
const PW = {
  mfa: 'Pw-Mfa-Quartz-1101',
  basic: 'Pw-Basic-Onyx-2202',
  nomfa: 'Pw-NoMfa-Topaz-3303',
  locked: 'Pw-Locked-Jade-4404',
  disabled: 'Pw-Disabled-Ruby-5505',
  expired: 'Pw-Expired-Opal-6606',
  blocked: 'Pw-Blocked-Beryl-7707',
  wrong: 'Pw-Wrong-Garnet-8808',
};

describe('entra-verifier service', () => {
  let database: { url: string; drop(): Promise<void> };
  let db: PostgresDb;
  let bus: MemoryBus;
  let standIn: EntraStandIn;
  let keyring: Keyring;
  let component: Component;
  let context: ServiceContext;
  let metrics: Registry;
  let base: EntraSettings;
  const logLines: string[] = [];

  const ask = (upn: string, password: string, name: 'verifyEntra' | 'testEntra' = 'verifyEntra') =>
    bus.request<EntraVerifyResponse>(subject(context.subjectPrefix, name), { upn, password }, { timeoutMs: 5000 });

  /** Stores settings and, unless told not to, tells the service (it cached the old ones). */
  async function putSettings(change: Partial<EntraSettings>, announce = true): Promise<void> {
    await settings.put(db, 'entra', { ...base, ...change });
    if (announce) {
      publishConfigChanged(context, { kind: 'settings' });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** A context of its own (bus, metrics) sharing the database, keyring and captured log. */
  function makeContext(timeoutMs: number): ServiceContext {
    return {
      env: {
        ENTRA_TIMEOUT_MS: String(timeoutMs),
        ENTRA_ALLOW_LOOPBACK_AUTHORITY: 'true',
        ENTRA_SETTINGS_CACHE_MS: '600000',
        // Below the 200 concurrent checks of the pool test, so the pool's bound is what it sees.
        ENTRA_MAX_CONNECTIONS: '64',
      },
      logger: createLogger('entra-verifier', { level: 'debug', destination: { write: (line: string) => void logLines.push(line) } }),
      bus: new MemoryBus(),
      subjectPrefix: uniquePrefix('entra'),
      db,
      state: {} as ServiceContext['state'], // this service keeps no shared state
      keyring,
      metrics: new Registry(),
    };
  }

  before(async () => {
    database = await createTestDatabase('entra_verifier');
    db = new PostgresDb({ url: database.url, max: 4 });
    await migrate(db);
    keyring = new Keyring(randomBytes(32));
    standIn = await startEntraStandIn({
      clientSecret: CLIENT_SECRET,
      users: {
        'mfa@contoso.com': { password: PW.mfa, kind: 'mfa' },
        'basic@contoso.com': { password: PW.basic, kind: 'mfa_basic_action' },
        'nomfa@contoso.com': { password: PW.nomfa, kind: 'no_mfa' },
        'locked@contoso.com': { password: PW.locked, kind: 'locked' },
        'disabled@contoso.com': { password: PW.disabled, kind: 'disabled' },
        'expired@contoso.com': { password: PW.expired, kind: 'expired' },
        'blocked@contoso.com': { password: PW.blocked, kind: 'ca_blocked' },
      },
    });
    base = {
      enabled: true,
      tenantId: standIn.tenant,
      clientId: standIn.clientId,
      domain: 'contoso.com',
      authorityHost: standIn.url,
      scope: DEFAULT_SCOPE,
      clientSecretSealed: keyring.seal(CLIENT_SECRET, 'settings:entra'),
    };
    await settings.put(db, 'entra', base);
    context = makeContext(ROOMY_TIMEOUT_MS);
    bus = context.bus as MemoryBus;
    metrics = context.metrics;
    component = await entraVerifier.create(context);
    assert.equal(component.ready?.(), false);
    await component.start();
    assert.equal(component.ready?.(), true);
  });

  after(async () => {
    await component?.stop();
    await bus?.drain();
    await standIn?.close();
    await db?.close();
    await database?.drop();
  });

  it('maps every account kind to its outcome and AADSTS code', async () => {
    const table: Array<[string, string, EntraVerifyResponse['outcome'], number | undefined, number]> = [
      ['mfa@contoso.com', PW.mfa, 'password_ok_mfa', 50076, 400],
      ['basic@contoso.com', PW.basic, 'password_ok_mfa', 50076, 400],
      ['nomfa@contoso.com', PW.nomfa, 'no_mfa', undefined, 200],
      ['locked@contoso.com', PW.locked, 'locked', 50053, 400],
      ['disabled@contoso.com', PW.disabled, 'disabled', 50057, 400],
      ['expired@contoso.com', PW.expired, 'password_expired', 50055, 400],
      ['blocked@contoso.com', PW.blocked, 'blocked', 53003, 400],
      ['mfa@contoso.com', PW.wrong, 'invalid_credentials', 50126, 400],
      ['nomfa@contoso.com', PW.wrong, 'invalid_credentials', 50126, 400],
      ['ghost@contoso.com', PW.wrong, 'invalid_credentials', 50034, 400],
    ];
    for (const [upn, password, outcome, aadsts, httpStatus] of table) {
      const answer = await ask(upn, password);
      assert.equal(answer.outcome, outcome, upn);
      assert.equal(answer.aadsts, aadsts, upn);
      assert.equal(answer.httpStatus, httpStatus, upn);
      assert.equal(typeof answer.latencyMs, 'number');
      if (aadsts !== undefined) assert.match(answer.correlationId ?? '', /^[0-9a-f-]{36}$/);
      assert.ok(!JSON.stringify(answer).includes(STAND_IN_TOKEN_PREFIX));
    }
    const seen = standIn.requests.last.at(-1)!;
    assert.deepEqual(
      [seen.grantType, seen.clientId, seen.scope, seen.clientSecretSent, seen.username],
      ['password', standIn.clientId, DEFAULT_SCOPE, true, 'ghost@contoso.com'],
    );
  });

  it('testEntra gives the same answers', async () => {
    assert.deepEqual(
      [(await ask('mfa@contoso.com', PW.mfa, 'testEntra')).outcome, (await ask('nomfa@contoso.com', PW.nomfa, 'testEntra')).outcome],
      ['password_ok_mfa', 'no_mfa'],
    );
  });

  it('refuses a bad payload as bad_request without echoing the password', async () => {
    await assert.rejects(ask('', PW.wrong), (error: unknown) => {
      assert.ok(error instanceof BusError);
      assert.equal(error.code, 'bad_request');
      assert.match(error.message, /upn/);
      assert.ok(!error.message.includes(PW.wrong));
      return true;
    });
  });

  it('a token endpoint slower than ENTRA_TIMEOUT_MS -> unavailable within the timeout', async () => {
    const quick = makeContext(TIMEOUT_MS);
    const impatient = await entraVerifier.create(quick);
    await impatient.start();
    standIn.setLatency(TIMEOUT_MS * 5);
    try {
      const started = Date.now();
      const answer = await quick.bus.request<EntraVerifyResponse>(
        subject(quick.subjectPrefix, 'verifyEntra'),
        { upn: 'mfa@contoso.com', password: PW.mfa },
        { timeoutMs: 5000 },
      );
      const elapsed = Date.now() - started;
      assert.deepEqual([answer.outcome, answer.httpStatus], ['unavailable', 0]);
      assert.ok(elapsed >= TIMEOUT_MS - 20 && elapsed < TIMEOUT_MS * 3, `took ${elapsed} ms`);
      assert.ok(answer.latencyMs < TIMEOUT_MS * 3);
    } finally {
      standIn.setLatency(0);
      await impatient.stop();
      await quick.bus.drain();
    }
  });

  it('a token endpoint that is down -> unavailable (503 page or dropped connection)', async () => {
    try {
      standIn.setDown(true);
      const page = await ask('mfa@contoso.com', PW.mfa);
      assert.deepEqual([page.outcome, page.httpStatus, page.aadsts], ['unavailable', 503, undefined]);
      standIn.setDown(true, 'close');
      const dropped = await ask('mfa@contoso.com', PW.mfa);
      assert.deepEqual([dropped.outcome, dropped.httpStatus], ['unavailable', 0]);
    } finally {
      standIn.setDown(false);
    }
    assert.equal((await ask('mfa@contoso.com', PW.mfa)).outcome, 'password_ok_mfa');
  });

  it('throttled -> short-circuited without calling Entra until Retry-After has passed', async () => {
    standIn.setThrottle(1);
    const first = await ask('mfa@contoso.com', PW.mfa);
    assert.deepEqual([first.outcome, first.httpStatus, first.aadsts, first.retryAfterSeconds], ['throttled', 429, 50196, 1]);

    const count = standIn.requests.count;
    const second = await ask('nomfa@contoso.com', PW.nomfa);
    assert.deepEqual([second.outcome, second.httpStatus, second.retryAfterSeconds], ['throttled', 0, 1]);
    assert.equal(standIn.requests.count, count, 'the stand-in saw no further request');

    // The admin's test bypasses the short-circuit and sees Entra's own answer.
    const tested = await ask('mfa@contoso.com', PW.mfa, 'testEntra');
    assert.deepEqual([tested.outcome, tested.httpStatus], ['throttled', 429]);
    assert.equal(standIn.requests.count, count + 1);

    await new Promise((resolve) => setTimeout(resolve, 1100));
    const recovered = await ask('mfa@contoso.com', PW.mfa);
    assert.deepEqual([recovered.outcome, recovered.aadsts], ['password_ok_mfa', 50076]);
    assert.equal(standIn.requests.count, count + 2);
  });

  it('caches settings until a config event; testEntra reads them fresh', async () => {
    await putSettings({ enabled: false }, false);
    assert.equal((await ask('mfa@contoso.com', PW.mfa)).outcome, 'password_ok_mfa', 'still cached');
    const fresh = await ask('mfa@contoso.com', PW.mfa, 'testEntra');
    assert.deepEqual([fresh.outcome, fresh.httpStatus], ['not_configured', 0]);

    publishConfigChanged(context, { kind: 'settings' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const count = standIn.requests.count;
    const answer = await ask('mfa@contoso.com', PW.mfa);
    assert.deepEqual([answer.outcome, answer.httpStatus, answer.aadsts], ['not_configured', 0, undefined]);
    assert.equal(standIn.requests.count, count, 'no call when not configured');

    await putSettings({ tenantId: '' });
    assert.equal((await ask('mfa@contoso.com', PW.mfa)).outcome, 'not_configured');
    await putSettings({});
    publishConfigChanged(context, { kind: 'all' });
    assert.equal((await ask('mfa@contoso.com', PW.mfa)).outcome, 'password_ok_mfa');
  });

  it("configuration errors: Entra's (client, tenant, secret) and ours (refused before any call)", async () => {
    const fromEntra: Array<[Partial<EntraSettings>, number]> = [
      [{ clientId: '99999999-9999-4999-8999-999999999999' }, 700016],
      [{ tenantId: 'fabrikam.onmicrosoft.com' }, 90002],
      [{ clientSecretSealed: keyring.seal('not-the-secret', 'settings:entra') }, 7000215],
      [{ clientSecretSealed: undefined }, 7000218],
    ];
    for (const [change, aadsts] of fromEntra) {
      await putSettings(change);
      const answer = await ask('mfa@contoso.com', PW.mfa);
      assert.deepEqual([answer.outcome, answer.aadsts], ['config_error', aadsts], JSON.stringify(Object.keys(change)));
      assert.ok(answer.httpStatus >= 400);
    }

    const ours: Array<[Partial<EntraSettings>, number | undefined]> = [
      [{ tenantId: 'common' }, 9001023],
      [{ authorityHost: 'https://login.evil.example' }, undefined],
      [{ clientSecretSealed: keyring.seal(CLIENT_SECRET, 'radius-client:1') }, undefined],
    ];
    for (const [change, aadsts] of ours) {
      await putSettings(change);
      const count = standIn.requests.count;
      const answer = await ask('mfa@contoso.com', PW.mfa);
      assert.deepEqual([answer.outcome, answer.aadsts, answer.httpStatus], ['config_error', aadsts, 0]);
      assert.equal(standIn.requests.count, count, 'refused before any call');
    }

    await putSettings({});
    assert.equal((await ask('mfa@contoso.com', PW.mfa)).outcome, 'password_ok_mfa');
  });

  it('reuses one keep-alive connection for 50 sequential checks', async () => {
    const first = standIn.requests.last.length;
    const connections = standIn.requests.connections;
    for (let i = 0; i < 50; i++) assert.equal((await ask('mfa@contoso.com', PW.mfa)).outcome, 'password_ok_mfa');
    const records = standIn.requests.last.slice(first);
    assert.equal(records.length, 50);
    const used = new Set(records.map((r) => r.connection));
    assert.equal(used.size, 1);
    assert.ok([...used][0]! > 0, 'the stand-in knows the connection');
    assert.ok(standIn.requests.connections - connections <= 1);
  });

  it('serves 200 concurrent checks within ENTRA_MAX_CONNECTIONS connections', async () => {
    const before = standIn.requests.connections;
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => (i % 2 ? ask('mfa@contoso.com', PW.mfa) : ask('nomfa@contoso.com', PW.nomfa))),
    );
    assert.equal(answers.filter((a) => a.outcome === 'password_ok_mfa').length, 100);
    assert.equal(answers.filter((a) => a.outcome === 'no_mfa').length, 100);
    assert.ok(standIn.requests.connections - before <= 64);
  });

  it('counts answers by outcome and AADSTS code, times calls, and shows the pool', async () => {
    const text = await metrics.metrics();
    assert.match(text, /tollgate_entra_requests_total\{outcome="password_ok_mfa",aadsts="50076"\} \d+/);
    assert.match(text, /tollgate_entra_requests_total\{outcome="no_mfa",aadsts=""\} \d+/);
    assert.match(text, /tollgate_entra_requests_total\{outcome="not_configured",aadsts=""\} \d+/);
    assert.match(text, /tollgate_entra_requests_total\{outcome="throttled",aadsts="50196"\} \d+/);
    assert.match(text, /tollgate_entra_throttle_short_circuits_total 1\n/);
    assert.match(text, /tollgate_entra_request_duration_seconds_count\{outcome="password_ok_mfa"\} \d+/);
    const connections = Number(/tollgate_entra_pool_connections (\d+)/.exec(text)?.[1]);
    assert.ok(connections >= 1 && connections <= 64, `pool connections ${connections}`);
  });

  it('never logs a password, the client secret or a token', () => {
    const all = logLines.join('');
    assert.ok(logLines.length > 0);
    assert.match(all, /"outcome":"password_ok_mfa"/, 'the debug lines were captured');
    for (const secret of [...Object.values(PW), CLIENT_SECRET, STAND_IN_TOKEN_PREFIX, 'refresh_token', 'access_token']) {
      assert.ok(!all.includes(secret), `log contains ${secret}`);
    }
  });
});
