/**
 * The otp-verifier under a burst of concurrent requests (everyone logging in at 9:00): token
 * reads and step claims are batched, and the replay guard still lets a step win exactly once,
 * within one replica and across replicas with their own pools.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { subject, type OtpVerifyResponse } from '@tollgate/contracts';
import { MemoryBus } from '@tollgate/bus';
import { createLogger } from '@tollgate/logging';
import { Batcher, type Component, type ServiceContext } from '@tollgate/runtime';
import { Keyring } from '@tollgate/security';
import { RedisStateStore } from '@tollgate/state';
import { PostgresDb, migrate, tokens, users, type Db, type StepClaim } from '@tollgate/store';
import { countingDb, createTestDatabase, TEST_REDIS_URL, uniquePrefix } from '@tollgate/testkit';
import { generateSeed, generateTotp } from '@tollgate/totp';
import { otpVerifier } from './index.js';

const keyring = new Keyring(Buffer.from(Keyring.generateBase64(), 'base64'));
const database = await createTestDatabase('otp_batch');
const admin = new PostgresDb({ url: database.url });
const closers: Array<() => Promise<unknown>> = [];
let logText = '';

before(async () => {
  await migrate(admin);
});
after(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await admin.close();
  await database.drop();
});

/** One verifier replica with its own pool and Redis connection. */
async function replica(bus: MemoryBus, prefix: string, keyPrefix: string): Promise<{ component: Component; db: Db & { sql: string[] } }> {
  const pool = new PostgresDb({ url: database.url, max: 4 });
  const db = countingDb(pool);
  const state = new RedisStateStore({ url: TEST_REDIS_URL, keyPrefix });
  await state.connect();
  const destination = new Writable({
    write: (chunk, _encoding, done) => {
      logText += String(chunk);
      done();
    },
  });
  const context: ServiceContext = {
    env: { OTP_CACHE_TTL_MS: '60000' },
    logger: createLogger('otp-verifier', { level: 'debug', destination }),
    bus,
    subjectPrefix: prefix,
    db,
    state,
    keyring,
    metrics: new Registry(),
  };
  const component = await otpVerifier.create(context);
  await component.start();
  closers.push(
    () => pool.close(),
    () => state.close(),
    () => component.stop(),
  );
  return { component, db };
}

async function enrol(upn: string): Promise<string> {
  const seed = generateSeed();
  await users.create(admin, { upn });
  await tokens.put(admin, {
    upn,
    secretSealed: keyring.seal(seed, `totp:${upn}`),
    digits: 6,
    period: 30,
    algorithm: 'SHA1',
    source: 'generated',
  });
  return seed;
}

const codeNow = (seed: string) => generateTotp({ secret: seed, digits: 6, period: 30, algorithm: 'SHA1', nowMs: Date.now() });

test('a burst of different users costs a few statements, not a few per user', async () => {
  const bus = new MemoryBus();
  closers.push(() => bus.drain());
  const prefix = uniquePrefix('otpb');
  const { db } = await replica(bus, prefix, `${prefix}:`);
  const people = Array.from({ length: 60 }, (_, i) => `burst${i}@contoso.com`);
  const seeds: string[] = [];
  for (const upn of people) seeds.push(await enrol(upn));
  await users.create(admin, { upn: 'burst-bare@contoso.com' });
  const requests = people.map((upn, i) => ({ upn, code: codeNow(seeds[i]!) }));
  requests.push({ upn: 'burst-bare@contoso.com', code: '123456' }, { upn: 'burst-ghost@contoso.com', code: '123456' });
  const replies = await Promise.all(
    requests.map((r) => bus.request<OtpVerifyResponse>(subject(prefix, 'verifyOtp'), r, { timeoutMs: 5000 })),
  );
  assert.deepEqual(
    replies.slice(0, 60).map((r) => r.outcome),
    Array(60).fill('valid'),
  );
  assert.deepEqual(
    replies.slice(60).map((r) => r.outcome),
    ['not_enrolled', 'unknown_user'],
  );
  // One read of the tokens, one claim, and the policy setting: far fewer than 2 per request.
  const reads = db.sql.filter((s) => /FROM users u LEFT JOIN totp_tokens/.test(s)).length;
  const claims = db.sql.filter((s) => /UPDATE totp_tokens/.test(s)).length;
  assert.ok(reads >= 1 && reads <= 3, `token reads: ${reads}`);
  assert.ok(claims >= 1 && claims <= 3, `claims: ${claims}`);
  assert.ok(db.sql.length <= 8, `statements: ${db.sql.length}`);
});

test('one code sent many times at once, to two replicas, is valid exactly once', async () => {
  const bus = new MemoryBus();
  closers.push(() => bus.drain());
  const prefix = uniquePrefix('otpr');
  // Two replicas behind one subject (MemoryBus takes turns), each with its own pool.
  await replica(bus, prefix, `${prefix}:`);
  await replica(bus, prefix, `${prefix}:`);
  const seed = await enrol('twice@contoso.com');
  const code = codeNow(seed);
  const replies = await Promise.all(
    Array.from({ length: 40 }, () =>
      bus.request<OtpVerifyResponse>(subject(prefix, 'verifyOtp'), { upn: 'twice@contoso.com', code }, { timeoutMs: 5000 }),
    ),
  );
  const outcomes = replies.map((r) => r.outcome);
  assert.equal(outcomes.filter((o) => o === 'valid').length, 1, outcomes.join(','));
  assert.equal(outcomes.filter((o) => o === 'replayed').length, 39);
  assert.ok(!logText.includes(code) && !logText.includes(seed), 'neither the code nor the seed is logged');
});

test('batched claims of one step from two pools, each batching its own callers, let exactly one win', async () => {
  await enrol('batched@contoso.com');
  const others = Array.from({ length: 20 }, (_, i) => `batched-other${i}@contoso.com`);
  for (const upn of others) await enrol(upn);
  const pools = [new PostgresDb({ url: database.url, max: 3 }), new PostgresDb({ url: database.url, max: 3 })];
  closers.push(...pools.map((p) => () => p.close()));
  const sizes: number[] = [];
  const batchers = pools.map(
    (pool) =>
      new Batcher<StepClaim, boolean>({ run: (claims) => tokens.claimSteps(pool, claims), onBatch: (n) => sizes.push(n), maxBatch: 16 }),
  );
  const calls: Array<{ claim: StepClaim; result: Promise<boolean> }> = [];
  for (let i = 0; i < 60; i++) {
    const claim = i % 3 === 0 ? { upn: 'batched@contoso.com', step: 777 } : { upn: others[i % others.length]!, step: 1000 + i };
    calls.push({ claim, result: batchers[i % 2]!.load(claim) });
  }
  const results = await Promise.all(calls.map((c) => c.result));
  const contested = results.filter((won, i) => won && calls[i]!.claim.upn === 'batched@contoso.com');
  assert.equal(contested.length, 1);
  assert.ok(
    sizes.some((n) => n > 1),
    'claims were batched',
  );
  assert.ok(sizes.every((n) => n <= 16));
  assert.equal(await tokens.claimStep(admin, 'batched@contoso.com', 777), false);
});
