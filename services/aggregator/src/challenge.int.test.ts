/**
 * The challenge and auto code entry on a real PostgreSQL and a real Redis, two aggregators
 * sharing them (the follow-up may reach any replica), with verifier stand-ins that judge what
 * they are sent: the password step asks Entra alone, the follow-up asks the OTP verifier alone,
 * a State is single use, bound to client, User-Name and source, expires, allows three codes, and
 * a record written into Redis by someone without the master key is refused.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { subject, type DecideRequest, type DecideResponse, type OtpVerifyRequest } from '@tollgate/contracts';
import { MemoryBus } from '@tollgate/bus';
import { createLogger } from '@tollgate/logging';
import type { ServiceContext } from '@tollgate/runtime';
import { Keyring } from '@tollgate/security';
import { RedisStateStore } from '@tollgate/state';
import { PostgresDb, migrate, settings, tokens, users } from '@tollgate/store';
import { TEST_REDIS_URL, createTestDatabase, uniquePrefix } from '@tollgate/testkit';
import { Aggregator, CHALLENGE_PROMPT, RETRY_PROMPT } from './aggregator.js';
import { storeKey } from './challenge-store.js';
import { loadAggregatorConfig } from './config.js';

const database = await createTestDatabase('aggregator_challenge');
const db = new PostgresDb({ url: database.url, max: 4 });
const bus = new MemoryBus();
const prefix = uniquePrefix('challenge');
const keyPrefix = `${uniquePrefix('challenge')}:`;
const masterKey = Keyring.generateBase64();
const stores: RedisStateStore[] = [];
const running: Aggregator[] = [];

const PASSWORD = 'Right-Pass';
const CODE = '246810';
/** What the stand-ins were asked, in order. */
const asked: Array<{ verifier: 'otp' | 'entra'; password?: string; code?: string; probe?: boolean }> = [];
const used = new Set<string>();

before(async () => {
  await migrate(db);
  await settings.put(db, 'policy', { otpMaxFailures: 10, otpLockoutSeconds: 60, challengeTtlSeconds: 120 });
  const entra = {
    enabled: true,
    tenantId: 't',
    clientId: 'c',
    domain: 'contoso.com',
    authorityHost: 'https://login.example',
    scope: 'openid',
  };
  await settings.put(db, 'entra', entra);
  for (const upn of ['carol@contoso.com', 'dave@contoso.com', 'nomfa@contoso.com']) {
    await users.create(db, { upn });
    await tokens.put(db, { upn, secretSealed: 'v1.sealed', digits: 6, period: 30, algorithm: 'SHA1', source: 'generated' });
  }
  await bus.serve({
    name: 'verifiers',
    version: '1.0.0',
    endpoints: [
      {
        name: 'verifyOtp',
        subject: subject(prefix, 'verifyOtp'),
        handler: async (payload) => {
          const p = payload as OtpVerifyRequest;
          asked.push({ verifier: 'otp', code: p.code, ...(p.probe ? { probe: true } : {}) });
          if (p.code !== CODE) return { outcome: 'invalid' };
          // One use per user and code, as the real step claim.
          const key = `${p.upn}/${p.code}/${p.requestKey ?? ''}`;
          if ([...used].some((k) => k.startsWith(`${p.upn}/${p.code}/`) && k !== key)) return { outcome: 'replayed' };
          used.add(key);
          return { outcome: 'valid' };
        },
      },
      {
        name: 'verifyEntra',
        subject: subject(prefix, 'verifyEntra'),
        handler: async (payload) => {
          const p = payload as { upn: string; password: string };
          asked.push({ verifier: 'entra', password: p.password });
          if (p.password !== PASSWORD) return { outcome: 'invalid_credentials', aadsts: 50126, httpStatus: 400, latencyMs: 1 };
          if (p.upn === 'nomfa@contoso.com') return { outcome: 'no_mfa', httpStatus: 200, latencyMs: 1 };
          return { outcome: 'password_ok_mfa', aadsts: 50076, httpStatus: 400, latencyMs: 1 };
        },
      },
    ],
  });
});

after(async () => {
  for (const aggregator of running) await aggregator.stop();
  for (const store of stores) await store.close();
  await bus.drain();
  await db.close();
  await database.drop();
});

async function replica(): Promise<{ aggregator: Aggregator; metrics: Registry; state: RedisStateStore }> {
  const state = new RedisStateStore({ url: TEST_REDIS_URL, keyPrefix });
  await state.connect();
  stores.push(state);
  const metrics = new Registry();
  const context: ServiceContext = {
    env: {},
    logger: createLogger('aggregator', { level: 'silent' }),
    bus,
    subjectPrefix: prefix,
    db,
    state,
    keyring: Keyring.fromBase64(masterKey),
    metrics,
  };
  const aggregator = new Aggregator(context, loadAggregatorConfig({ AGGREGATOR_REJECT_FLOOR_MS: '1' }));
  await aggregator.start();
  running.push(aggregator);
  return { aggregator, metrics, state };
}

let ids = 0;
const CLIENT = { id: 'c-fortigate', name: 'fortigate', address: '192.0.2.0/24' };
function request(username: string, password: string, extra: Partial<DecideRequest> = {}, otpMode: 'challenge' | 'auto' = 'challenge') {
  return {
    requestId: `r${++ids}`,
    requestKey: (++ids).toString(16).padStart(32, '0'),
    username,
    password,
    sourceAddress: '192.0.2.7',
    client: { ...CLIENT, otpMode },
    ...extra,
  } satisfies DecideRequest;
}

function challenged(response: DecideResponse): string {
  assert.equal(response.decision, 'challenge', JSON.stringify(response));
  assert.match(response.state ?? '', /^[0-9a-f]{64}$/, '256 random bits');
  return response.state!;
}

const primary = await replica();
const secondary = await replica();
const fresh = () => {
  asked.length = 0;
  used.clear();
};

test('challenge: the password alone is asked of Entra, the code in the follow-up of the OTP verifier, on another replica', async () => {
  fresh();
  const first = await primary.aggregator.handle(request('carol', PASSWORD));
  const state = challenged(first);
  assert.deepEqual(
    { reason: first.reason, replyMessage: first.replyMessage, upn: first.upn },
    { reason: 'challenge.issued', replyMessage: CHALLENGE_PROMPT, upn: 'carol@contoso.com' },
  );
  assert.deepEqual(asked, [{ verifier: 'entra', password: PASSWORD }], 'no code was asked about yet');
  // Redis holds the record under a digest of the State, sealed: neither the State nor the user in clear.
  const raw = await primary.state.get(storeKey(state));
  assert.ok(raw && !raw.toString().includes('carol') && !raw.toString().includes(state));

  const second = await secondary.aggregator.handle(request('carol', CODE, { state }));
  assert.deepEqual(second, { decision: 'accept', reason: 'ok', upn: 'carol@contoso.com' });
  assert.deepEqual(asked.slice(1), [{ verifier: 'otp', code: CODE }], 'Entra is not asked again');

  // The State is single use: the same follow-up again, on either replica, is a replay.
  assert.equal((await primary.aggregator.handle(request('carol', CODE, { state }))).reason, 'challenge.replayed');
  assert.equal(asked.length, 2, 'a replayed State asks no verifier');
});

test('challenge: a wrong password is rejected at once with no challenge; an account without MFA is refused', async () => {
  fresh();
  assert.deepEqual(await primary.aggregator.handle(request('carol', 'Wrong-Pass')), {
    decision: 'reject',
    reason: 'entra.invalid_credentials',
    upn: 'carol@contoso.com',
    aadsts: 50126,
  });
  assert.equal((await primary.aggregator.handle(request('nomfa', PASSWORD))).reason, 'entra.no_mfa');
});

test('challenge: a wrong code is asked again under the same State; the third wrong code rejects and spends it', async () => {
  fresh();
  const state = challenged(await primary.aggregator.handle(request('dave', PASSWORD)));
  const again = await secondary.aggregator.handle(request('dave', '000000', { state }));
  assert.deepEqual(
    { decision: again.decision, reason: again.reason, state: again.state, replyMessage: again.replyMessage },
    { decision: 'challenge', reason: 'otp.invalid', state, replyMessage: RETRY_PROMPT },
  );
  // A value that cannot be a code is a wrong attempt too, not sent to the verifier.
  const notACode = await primary.aggregator.handle(request('dave', PASSWORD, { state }));
  assert.equal(notACode.decision, 'challenge');
  assert.equal(asked.filter((a) => a.verifier === 'otp').length, 1);
  assert.deepEqual(await secondary.aggregator.handle(request('dave', '111111', { state })), {
    decision: 'reject',
    reason: 'otp.invalid',
    upn: 'dave@contoso.com',
  });
  // Spent: even the right code is refused now.
  assert.equal((await primary.aggregator.handle(request('dave', CODE, { state }))).reason, 'challenge.replayed');
});

test('challenge: unknown, foreign and expired States are refused, each with its reason', async () => {
  fresh();
  assert.equal((await primary.aggregator.handle(request('carol', CODE, { state: 'ab'.repeat(32) }))).reason, 'challenge.unknown');
  assert.equal((await primary.aggregator.handle(request('carol', CODE, { state: 'abcd' }))).reason, 'challenge.unknown');
  const foreign: Array<[string, Partial<DecideRequest>, string]> = [
    ['another User-Name', {}, 'dave'],
    ['another NAS source', { sourceAddress: '192.0.2.99' }, 'carol'],
    ['another client', { client: { id: 'c-other', name: 'other', address: '198.51.100.1', otpMode: 'challenge' } }, 'carol'],
  ];
  for (const [name, change, username] of foreign) {
    const state = challenged(await primary.aggregator.handle(request('carol', PASSWORD)));
    const stolen = await secondary.aggregator.handle(request(username, CODE, { state, ...change }));
    assert.equal(stolen.reason, 'challenge.foreign', name);
    // A State seen from the wrong place is spent: the rightful follow-up is refused too.
    assert.equal((await primary.aggregator.handle(request('carol', CODE, { state }))).reason, 'challenge.replayed', name);
  }
  await settings.put(db, 'policy', { otpMaxFailures: 10, otpLockoutSeconds: 60, challengeTtlSeconds: 1 });
  const expiring = await replica();
  const state = challenged(await expiring.aggregator.handle(request('carol', PASSWORD)));
  await new Promise((r) => setTimeout(r, 1100));
  assert.equal((await expiring.aggregator.handle(request('carol', CODE, { state }))).reason, 'challenge.expired');
  await settings.put(db, 'policy', { otpMaxFailures: 10, otpLockoutSeconds: 60, challengeTtlSeconds: 120 });
});

test('challenge: a record written into Redis without the master key is refused, and counted', async () => {
  fresh();
  const forgedState = 'cd'.repeat(32);
  const forged = JSON.stringify({
    kind: 'open',
    clientId: CLIENT.id,
    username: 'carol',
    upn: 'carol@contoso.com',
    sourceAddress: '192.0.2.7',
    attempts: 0,
    expiresAt: Date.now() + 60_000,
    passwordProven: true,
  });
  await primary.state.set(storeKey(forgedState), Buffer.from(forged), 60_000);
  const other = Keyring.fromBase64(Keyring.generateBase64());
  const forgedState2 = 'ef'.repeat(32);
  await primary.state.set(storeKey(forgedState2), Buffer.from(other.seal(forged, `challenge:${storeKey(forgedState2)}`)), 60_000);
  for (const state of [forgedState, forgedState2]) {
    assert.equal((await primary.aggregator.handle(request('carol', CODE, { state }))).reason, 'challenge.unknown');
  }
  assert.equal(asked.length, 0, 'no verifier asked');
  assert.match(
    (await primary.metrics.getSingleMetricAsString('tollgate_aggregator_challenge_tampered_total')) ?? '',
    /tollgate_aggregator_challenge_tampered_total 2/,
  );
});

test('challenge: a user disabled between the password and the code is refused', async () => {
  fresh();
  await users.create(db, { upn: 'erin@contoso.com' });
  await tokens.put(db, {
    upn: 'erin@contoso.com',
    secretSealed: 'v1.sealed',
    digits: 6,
    period: 30,
    algorithm: 'SHA1',
    source: 'generated',
  });
  const state = challenged(await primary.aggregator.handle(request('erin', PASSWORD)));
  await users.update(db, 'erin@contoso.com', { enabled: false });
  // The profile cache of a running aggregator drops the user on the admin API's event; a new one reads afresh.
  const later = await replica();
  assert.equal((await later.aggregator.handle(request('erin', CODE, { state }))).reason, 'user.disabled');
});

test('auto: a valid trailing code is the append flow (probe, then Entra once); otherwise the whole value is the password and a challenge follows', async () => {
  fresh();
  const appended = await primary.aggregator.handle(request('carol', PASSWORD + CODE, {}, 'auto'));
  assert.deepEqual(appended, { decision: 'accept', reason: 'ok', upn: 'carol@contoso.com', aadsts: 50076 });
  assert.deepEqual(asked, [
    { verifier: 'otp', code: CODE, probe: true },
    { verifier: 'entra', password: PASSWORD },
  ]);

  fresh();
  // The password alone: its last characters are no code, so the whole value goes to Entra, once.
  const state = challenged(await primary.aggregator.handle(request('dave', PASSWORD, {}, 'auto')));
  assert.deepEqual(asked, [{ verifier: 'entra', password: PASSWORD }]);
  assert.equal((await secondary.aggregator.handle(request('dave', CODE, { state }, 'auto'))).decision, 'accept');

  fresh();
  // A password ending in six digits that are not a code: probed (not counted), then sent whole.
  const digitsPassword = 'Summer-135791';
  const wrong = await primary.aggregator.handle(request('dave', digitsPassword, {}, 'auto'));
  assert.equal(wrong.reason, 'entra.invalid_credentials');
  assert.deepEqual(asked, [
    { verifier: 'otp', code: '135791', probe: true },
    { verifier: 'entra', password: digitsPassword },
  ]);
});
