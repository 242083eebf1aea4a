/**
 * otp-verifier against real PostgreSQL and Redis, first on a MemoryBus, then on real NATS with
 * two replicas proving the replay guard is shared, durable, and independent of Redis.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from 'prom-client';
import { Redis } from 'ioredis';
import { BusError, subject, type OtpVerifyResponse } from '@tollgate/contracts';
import { MemoryBus, NatsBus, type Bus } from '@tollgate/bus';
import { createLogger } from '@tollgate/logging';
import { publishConfigChanged, type Component, type ServiceContext } from '@tollgate/runtime';
import { Keyring } from '@tollgate/security';
import { RedisStateStore } from '@tollgate/state';
import { PostgresDb, migrate, settings, tokens, users } from '@tollgate/store';
import { TEST_BUS_SEAL, TEST_NATS_URL, TEST_REDIS_URL, createTestDatabase, oathtoolTotp, uniquePrefix } from '@tollgate/testkit';
import { generateSeed, generateTotp } from '@tollgate/totp';
import { otpVerifier } from './index.js';

const ENV = { OTP_CACHE_TTL_MS: '60000' };

/** Everything one test run shares: a database, a Redis key prefix, a keyring and captured logs. */
class Fixture {
  readonly keyring = new Keyring(Buffer.from(Keyring.generateBase64(), 'base64'));
  readonly keyPrefix = `${uniquePrefix('otp')}:`;
  readonly subjectPrefix = uniquePrefix('otp');
  /** Every seed and code the run used: none may appear in a log line. */
  readonly secrets = new Set<string>();
  logText = '';
  db!: PostgresDb;
  #url = '';
  #drop!: () => Promise<void>;
  readonly #closers: Array<() => Promise<unknown>> = [];

  async open(): Promise<void> {
    const handle = await createTestDatabase('otp_verifier');
    this.#drop = handle.drop;
    this.#url = handle.url;
    this.db = new PostgresDb({ url: handle.url, max: 4 });
    await migrate(this.db);
  }

  logger() {
    const destination = new Writable({
      write: (chunk, _encoding, done) => {
        this.logText += String(chunk);
        done();
      },
    });
    return createLogger('otp-verifier', { level: 'debug', destination });
  }

  async state(): Promise<RedisStateStore> {
    const state = new RedisStateStore({ url: TEST_REDIS_URL, keyPrefix: this.keyPrefix });
    await state.connect();
    this.#closers.push(() => state.close());
    return state;
  }

  /** One verifier replica: its own pool, Redis connection and metrics, as a separate process would have. */
  async replica(bus: Bus, state?: RedisStateStore): Promise<{ component: Component; registry: Registry; state: RedisStateStore }> {
    const registry = new Registry();
    const db = new PostgresDb({ url: this.#url, max: 2 });
    this.#closers.push(() => db.close());
    const replicaState = state ?? (await this.state());
    const context: ServiceContext = {
      env: ENV,
      logger: this.logger(),
      bus,
      subjectPrefix: this.subjectPrefix,
      db,
      state: replicaState,
      keyring: this.keyring,
      metrics: registry,
    };
    const component = await otpVerifier.create(context);
    await component.start();
    this.#closers.push(() => component.stop());
    return { component, registry, state: replicaState };
  }

  async enrol(upn: string, options: { enabled?: boolean; period?: 30 | 60; algorithm?: 'SHA1' | 'SHA256' } = {}): Promise<string> {
    await users.create(this.db, { upn, enabled: options.enabled ?? true });
    return this.putToken(upn, options);
  }

  async putToken(upn: string, options: { period?: 30 | 60; algorithm?: 'SHA1' | 'SHA256' } = {}): Promise<string> {
    const seed = generateSeed();
    this.secrets.add(seed);
    await tokens.put(this.db, {
      upn,
      secretSealed: this.keyring.seal(seed, `totp:${upn}`),
      digits: 6,
      period: options.period ?? 30,
      algorithm: options.algorithm ?? 'SHA1',
      source: 'generated',
    });
    return seed;
  }

  /** The current code from the real oathtool, independent of our implementation. */
  async code(seed: string, options: { period?: 30 | 60; algorithm?: 'SHA1' | 'SHA256' } = {}): Promise<string> {
    const code = await oathtoolTotp({
      base32Secret: seed,
      digits: 6,
      period: options.period ?? 30,
      algorithm: options.algorithm ?? 'SHA1',
    });
    this.secrets.add(code);
    return code;
  }

  /** A code that is wrong for every step the verifier could try now. */
  wrongCode(seed: string): string {
    const now = Date.now();
    const near = new Set(
      [-3, -2, -1, 0, 1, 2, 3].map((o) =>
        generateTotp({ secret: seed, digits: 6, period: 30, algorithm: 'SHA1', nowMs: now + o * 30_000 }),
      ),
    );
    for (let n = 271_828; ; n++) {
      const code = String(n % 1_000_000).padStart(6, '0');
      if (!near.has(code)) {
        this.secrets.add(code);
        return code;
      }
    }
  }

  async flushRedisPrefix(): Promise<number> {
    const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true });
    await redis.connect();
    let removed = 0;
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${this.keyPrefix}*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) removed += await redis.del(...keys);
      } while (cursor !== '0');
    } finally {
      await redis.quit();
    }
    return removed;
  }

  async close(): Promise<void> {
    for (const close of this.#closers.reverse()) await close().catch(() => undefined);
    await this.flushRedisPrefix().catch(() => undefined);
    await this.db.close();
    await this.#drop();
  }

  assertNoSecretsLogged(): void {
    assert.ok(this.logText.length > 0, 'the run produced log lines');
    for (const secret of this.secrets) assert.ok(!this.logText.includes(secret), 'a seed or code reached the log');
  }
}

async function metricValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  return values
    .filter((v) => !(v as { metricName?: string }).metricName || (v as { metricName?: string }).metricName === name)
    .filter((v) => Object.entries(labels).every(([k, l]) => (v.labels as Record<string, unknown>)[k] === l))
    .reduce((sum, v) => sum + v.value, 0);
}

function verifier(bus: Bus, prefix: string) {
  return (upn: string, code: string) => bus.request<OtpVerifyResponse>(subject(prefix, 'verifyOtp'), { upn, code }, { timeoutMs: 5000 });
}

/** The behaviour every transport must show, with one verifier component. */
function behaviour(name: string, makeBus: () => Promise<{ server: Bus; client: Bus; close(): Promise<void> }>) {
  describe(`otp-verifier over ${name}`, () => {
    const f = new Fixture();
    let buses: Awaited<ReturnType<typeof makeBus>>;
    let replica: Awaited<ReturnType<Fixture['replica']>>;
    let verify: ReturnType<typeof verifier>;
    // The client and the server share ordering on one connection, so an event published before a
    // request is handled before it; the pause only absorbs scheduling.
    const settle = () => sleep(50);

    before(async () => {
      await f.open();
      buses = await makeBus();
      replica = await f.replica(buses.server);
      verify = verifier(buses.client, f.subjectPrefix);
    });
    after(async () => {
      await f.close();
      await buses.close();
    });

    test('a code from oathtool is valid, once; the same code again is replayed', async () => {
      const seed = await f.enrol('alice@contoso.com');
      const code = await f.code(seed);
      assert.deepEqual(await verify('alice@contoso.com', code), { outcome: 'valid' });
      assert.deepEqual(await verify('Alice@Contoso.com', code), { outcome: 'replayed' });
      assert.equal(await metricValue(replica.registry, 'tollgate_otp_replays_total'), 1);
      const row = await tokens.get(f.db, 'alice@contoso.com');
      assert.ok(row?.lastStep && Math.abs(row.lastStep - Math.floor(Date.now() / 30_000)) <= 1, 'the step is recorded in PostgreSQL');
    });

    test('60 s SHA256 tokens work too', async () => {
      const seed = await f.enrol('sha256@contoso.com', { period: 60, algorithm: 'SHA256' });
      assert.deepEqual(await verify('sha256@contoso.com', await f.code(seed, { period: 60, algorithm: 'SHA256' })), { outcome: 'valid' });
    });

    test('a wrong code is invalid and counted', async () => {
      const seed = await f.enrol('bob@contoso.com');
      assert.deepEqual(await verify('bob@contoso.com', f.wrongCode(seed)), { outcome: 'invalid', failures: 1 });
      assert.deepEqual(await verify('bob@contoso.com', f.wrongCode(seed)), { outcome: 'invalid', failures: 2 });
      assert.equal(await replica.state.counter('otp:fail:bob@contoso.com'), 2, 'the counter lives in Redis');
      assert.deepEqual(await verify('bob@contoso.com', await f.code(seed)), { outcome: 'valid' });
      assert.equal(await replica.state.counter('otp:fail:bob@contoso.com'), 0, 'a valid code resets it');
    });

    test('lockout after N failures (policy from settings, reloaded on a settings event); the right code is then locked', async () => {
      const seedL = await f.enrol('lara@contoso.com');
      const seedM = await f.enrol('mike@contoso.com');
      // The default policy (5 failures) is cached by this first request.
      assert.deepEqual(await verify('lara@contoso.com', f.wrongCode(seedL)), { outcome: 'invalid', failures: 1 });
      await settings.put(f.db, 'policy', { otpMaxFailures: 2, otpLockoutSeconds: 120 });
      // Still the cached policy: with the new one these would be locked.
      assert.deepEqual(await verify('lara@contoso.com', f.wrongCode(seedL)), { outcome: 'invalid', failures: 2 });
      assert.deepEqual(await verify('lara@contoso.com', f.wrongCode(seedL)), { outcome: 'invalid', failures: 3 });
      publishConfigChanged({ bus: buses.client, subjectPrefix: f.subjectPrefix }, { kind: 'settings', key: 'policy' });
      await settle();

      assert.deepEqual(await verify('mike@contoso.com', f.wrongCode(seedM)), { outcome: 'invalid', failures: 1 });
      assert.deepEqual(await verify('mike@contoso.com', f.wrongCode(seedM)), { outcome: 'locked' });
      assert.equal(await metricValue(replica.registry, 'tollgate_otp_lockouts_total'), 1);
      assert.deepEqual(await verify('mike@contoso.com', await f.code(seedM)), { outcome: 'locked' });
      assert.equal((await tokens.get(f.db, 'mike@contoso.com'))?.lastStep, null, 'a locked user consumes no step');
      assert.deepEqual(await verify('lara@contoso.com', await f.code(seedL)), { outcome: 'locked' });
      // The lock expires with the failure window (120 s here), set on the first failure.
      const redis = new Redis(TEST_REDIS_URL);
      const ttl = await redis.pttl(`${f.keyPrefix}otp:fail:mike@contoso.com`);
      await redis.quit();
      assert.ok(ttl > 100_000 && ttl <= 120_000, `lock TTL ${ttl}`);
      await settings.put(f.db, 'policy', { otpMaxFailures: 5, otpLockoutSeconds: 900 });
      publishConfigChanged({ bus: buses.client, subjectPrefix: f.subjectPrefix }, { kind: 'all' });
      await settle();
    });

    test('disabled user, user without a token, unknown user', async () => {
      const seed = await f.enrol('dora@contoso.com', { enabled: false });
      await users.create(f.db, { upn: 'ned@contoso.com' });
      await users.create(f.db, { upn: 'olga@contoso.com', enabled: false });
      assert.deepEqual(await verify('dora@contoso.com', await f.code(seed)), { outcome: 'user_disabled' });
      assert.deepEqual(await verify('ned@contoso.com', '123456'), { outcome: 'not_enrolled' });
      assert.deepEqual(await verify('olga@contoso.com', '123456'), { outcome: 'user_disabled' });
      assert.deepEqual(await verify('nobody@contoso.com', '123456'), { outcome: 'unknown_user' });
      assert.equal(await replica.state.counter('otp:fail:nobody@contoso.com'), 0);
    });

    test('a users config event drops the cached token: a replaced seed works after it', async () => {
      const seedA = await f.enrol('carl@contoso.com');
      assert.deepEqual(await verify('carl@contoso.com', await f.code(seedA)), { outcome: 'valid' });
      const seedB = await f.putToken('carl@contoso.com');
      const codeB = await f.code(seedB);
      // The old seed is still cached (60 s TTL), so the new code is wrong for now.
      assert.deepEqual(await verify('carl@contoso.com', codeB), { outcome: 'invalid', failures: 1 });
      publishConfigChanged({ bus: buses.client, subjectPrefix: f.subjectPrefix }, { kind: 'users', key: 'carl@contoso.com' });
      await settle();
      assert.deepEqual(await verify('carl@contoso.com', codeB), { outcome: 'valid' });
      // an event for the users table also turns "not enrolled" into enrolled
      await users.create(f.db, { upn: 'pia@contoso.com' });
      assert.deepEqual(await verify('pia@contoso.com', '123456'), { outcome: 'not_enrolled' });
      const seedP = await f.putToken('pia@contoso.com');
      publishConfigChanged({ bus: buses.client, subjectPrefix: f.subjectPrefix }, { kind: 'users', key: 'pia@contoso.com' });
      await settle();
      assert.deepEqual(await verify('pia@contoso.com', await f.code(seedP)), { outcome: 'valid' });
      assert.ok((await metricValue(replica.registry, 'tollgate_otp_cache_requests_total', { result: 'hit' })) > 0);
      assert.ok((await metricValue(replica.registry, 'tollgate_otp_cache_requests_total', { result: 'miss' })) > 0);
    });

    test('bad requests are refused as bad_request', async () => {
      await assert.rejects(verify('alice@contoso.com', '12ab56'), (e: unknown) => e instanceof BusError && e.code === 'bad_request');
    });

    test('Redis unavailable: the request fails (aggregator rejects), it is not answered', async () => {
      const state = await f.state();
      const seed = await f.enrol('rita@contoso.com');
      const bus = new MemoryBus();
      const lonely = await f.replica(bus, state);
      await state.close();
      const code = await f.code(seed);
      await assert.rejects(
        verifier(bus, f.subjectPrefix)('rita@contoso.com', code),
        (e: unknown) => e instanceof BusError && e.code === 'internal',
      );
      assert.equal((await tokens.get(f.db, 'rita@contoso.com'))?.lastStep, null, 'no step claimed without the lockout check');
      assert.equal(await metricValue(lonely.registry, 'tollgate_otp_verifications_total', { outcome: 'error' }), 1);
      await lonely.component.stop();
      await bus.drain();
    });

    test('metrics are registered and the log holds neither seeds nor codes', async () => {
      const text = await replica.registry.metrics();
      for (const name of [
        'tollgate_otp_verifications_total',
        'tollgate_otp_lockouts_total',
        'tollgate_otp_replays_total',
        'tollgate_otp_cache_requests_total',
        'tollgate_otp_verify_duration_seconds_count',
      ]) {
        assert.match(text, new RegExp(`^${name}`, 'm'));
      }
      assert.ok((await metricValue(replica.registry, 'tollgate_otp_verifications_total', { outcome: 'valid' })) >= 5);
      assert.ok(f.logText.includes('"outcome":"valid"'));
      f.assertNoSecretsLogged();
    });
  });
}

behaviour('MemoryBus', async () => {
  const bus = new MemoryBus();
  return { server: bus, client: bus, close: () => bus.drain() };
});

behaviour('NATS', async () => {
  const bus = await NatsBus.connect({ servers: TEST_NATS_URL }, { seal: TEST_BUS_SEAL });
  return { server: bus, client: bus, close: () => bus.drain() };
});

describe('two otp-verifier replicas on NATS', () => {
  const f = new Fixture();
  const open: Array<{ bus: NatsBus; component: Component }> = [];
  let client: NatsBus;

  async function startReplica() {
    const bus = await NatsBus.connect({ servers: TEST_NATS_URL }, { seal: TEST_BUS_SEAL });
    const replica = await f.replica(bus);
    const entry = { bus, component: replica.component, registry: replica.registry, state: replica.state };
    open.push(entry);
    return entry;
  }
  async function stopReplica(r: { bus: NatsBus; component: Component; state: RedisStateStore }) {
    await r.component.stop();
    await r.bus.drain();
    await r.state.close();
  }

  before(async () => {
    await f.open();
    client = await NatsBus.connect({ servers: TEST_NATS_URL }, { seal: TEST_BUS_SEAL });
  });
  after(async () => {
    for (const r of open) await r.bus.drain().catch(() => undefined);
    await client.drain();
    await f.close();
  });

  test('a code accepted by one replica is replayed on the other, after restarts, and with Redis emptied', async () => {
    const verify = verifier(client, f.subjectPrefix);
    const seed = await f.enrol('rhea@contoso.com');
    const a = await startReplica();
    const b = await startReplica();
    assert.ok(a.component.ready?.() && b.component.ready?.());

    const code = await f.code(seed);
    assert.deepEqual(await verify('rhea@contoso.com', code), { outcome: 'valid' });
    const validA = await metricValue(a.registry, 'tollgate_otp_verifications_total', { outcome: 'valid' });
    const validB = await metricValue(b.registry, 'tollgate_otp_verifications_total', { outcome: 'valid' });
    assert.equal(validA + validB, 1);
    const [accepter, other] = validA === 1 ? [a, b] : [b, a];

    // Take the accepting replica away: the next request can only reach the other one.
    await stopReplica(accepter);
    assert.equal(accepter.component.ready?.(), false);
    assert.deepEqual(await verify('rhea@contoso.com', code), { outcome: 'replayed' });
    assert.equal(await metricValue(other.registry, 'tollgate_otp_verifications_total', { outcome: 'replayed' }), 1);
    assert.equal(await metricValue(other.registry, 'tollgate_otp_replays_total'), 1);
    await stopReplica(other);

    // Restart everything with nothing left in Redis under our prefix.
    const wrong = f.wrongCode(seed);
    await f.flushRedisPrefix();
    const c = await startReplica();
    const d = await startReplica();
    assert.deepEqual(await verify('rhea@contoso.com', wrong), { outcome: 'invalid', failures: 1 });
    assert.ok((await f.flushRedisPrefix()) >= 1, 'the failure counter was in Redis and is gone now');
    for (let i = 0; i < 6; i++) {
      assert.deepEqual(await verify('rhea@contoso.com', code), { outcome: 'replayed' });
    }
    const replayed =
      (await metricValue(c.registry, 'tollgate_otp_replays_total')) + (await metricValue(d.registry, 'tollgate_otp_replays_total'));
    assert.equal(replayed, 6);
    await stopReplica(c);
    await stopReplica(d);
    f.assertNoSecretsLogged();
  });
});
