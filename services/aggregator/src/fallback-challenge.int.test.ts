/**
 * Fallback codes in the challenge dialogue, on a real PostgreSQL and Redis, with verifier
 * stand-ins that judge what they are sent: `email` / `sms` asks the send endpoint (client with
 * fallbackCodes only) and spends no attempt; once a code is sent the follow-ups are checked as
 * that code, never as TOTP; a wrong one is an attempt; nothing sent leaves the TOTP path open.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import {
  BusError,
  subject,
  type DecideRequest,
  type DecideResponse,
  type FallbackSendRequest,
  type FallbackVerifyRequest,
} from '@tollgate/contracts';
import { MemoryBus } from '@tollgate/bus';
import { createLogger } from '@tollgate/logging';
import type { ServiceContext } from '@tollgate/runtime';
import { Keyring } from '@tollgate/security';
import { RedisStateStore } from '@tollgate/state';
import { PostgresDb, migrate, settings, tokens, users } from '@tollgate/store';
import { TEST_REDIS_URL, createTestDatabase, uniquePrefix } from '@tollgate/testkit';
import { Aggregator, RETRY_PROMPT } from './aggregator.js';
import { storeKey } from './challenge-store.js';
import { FALLBACK_PROMPTS } from './challenge-state.js';
import { loadAggregatorConfig } from './config.js';

const database = await createTestDatabase('aggregator_fallback');
const db = new PostgresDb({ url: database.url, max: 4 });
const bus = new MemoryBus();
const prefix = uniquePrefix('fallback');
const state = new RedisStateStore({ url: TEST_REDIS_URL, keyPrefix: `${uniquePrefix('fallback')}:` });
const PASSWORD = 'Right-Pass';
const TOTP = '246810';
const SENT = '135790';
const asked: string[] = [];
/** Codes "sent", by challenge ref. */
const sent = new Map<string, string>();
let aggregator: Aggregator;

before(async () => {
  await migrate(db);
  await state.connect();
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
  for (const upn of ['fay@contoso.com', 'nia@contoso.com', 'dan@contoso.com']) {
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
          asked.push('otp');
          return { outcome: (payload as { code: string }).code === TOTP ? 'valid' : 'invalid' };
        },
      },
      {
        name: 'verifyEntra',
        subject: subject(prefix, 'verifyEntra'),
        handler: async (payload) => {
          asked.push('entra');
          return (payload as { password: string }).password === PASSWORD
            ? { outcome: 'password_ok_mfa', aadsts: 50076, httpStatus: 400, latencyMs: 1 }
            : { outcome: 'invalid_credentials', aadsts: 50126, httpStatus: 400, latencyMs: 1 };
        },
      },
      {
        name: 'sendFallbackCode',
        subject: subject(prefix, 'sendFallbackCode'),
        handler: async (payload) => {
          const p = payload as FallbackSendRequest;
          asked.push(`send:${p.channel}`);
          if (p.upn === 'nia@contoso.com') return { outcome: 'no_address' };
          if (p.upn === 'dan@contoso.com') throw new BusError('internal', 'down');
          sent.set(p.ref, SENT);
          return { outcome: 'sent', ttlSeconds: 300 };
        },
      },
      {
        name: 'verifyFallbackCode',
        subject: subject(prefix, 'verifyFallbackCode'),
        handler: async (payload) => {
          const p = payload as FallbackVerifyRequest;
          asked.push('verify');
          const code = sent.get(p.ref);
          if (code === undefined) return { outcome: 'expired' };
          if (code !== p.code) return { outcome: 'invalid' };
          sent.delete(p.ref);
          return { outcome: 'valid' };
        },
      },
    ],
  });
  const context: ServiceContext = {
    env: {},
    logger: createLogger('aggregator', { level: 'silent' }),
    bus,
    subjectPrefix: prefix,
    db,
    state,
    keyring: Keyring.fromBase64(Keyring.generateBase64()),
    metrics: new Registry(),
  };
  aggregator = new Aggregator(context, loadAggregatorConfig({ AGGREGATOR_REJECT_FLOOR_MS: '1' }));
  await aggregator.start();
});

after(async () => {
  await aggregator.stop();
  await state.close();
  await bus.drain();
  await db.close();
  await database.drop();
});

let ids = 0;
function request(username: string, password: string, fallbackCodes: boolean, extra: Partial<DecideRequest> = {}): DecideRequest {
  return {
    requestId: `r${++ids}`,
    requestKey: (++ids).toString(16).padStart(32, '0'),
    username,
    password,
    sourceAddress: '192.0.2.7',
    client: { id: 'c1', name: 'fortigate', address: '192.0.2.0/24', otpMode: 'challenge', ...(fallbackCodes ? { fallbackCodes } : {}) },
    ...extra,
  };
}

async function start(username: string, fallbackCodes = true): Promise<string> {
  const first = await aggregator.handle(request(username, PASSWORD, fallbackCodes));
  assert.equal(first.decision, 'challenge', JSON.stringify(first));
  asked.length = 0;
  return first.state as string;
}

const follow = (username: string, typed: string, st: string, fallbackCodes = true): Promise<DecideResponse> =>
  aggregator.handle(request(username, typed, fallbackCodes, { state: st }));

test('`email` sends a code bound to the challenge; the code accepts as ok.fallback, without asking the TOTP verifier', async () => {
  const st = await start('fay');
  const asking = await follow('fay', 'Email', st);
  assert.deepEqual(
    { decision: asking.decision, reason: asking.reason, state: asking.state, replyMessage: asking.replyMessage },
    { decision: 'challenge', reason: 'challenge.fallback_sent', state: st, replyMessage: FALLBACK_PROMPTS.email },
  );
  assert.ok(sent.has(storeKey(st)), 'the ref is the state-store key of the State, not the State');
  const accepted = await follow('fay', SENT, st);
  assert.deepEqual({ decision: accepted.decision, reason: accepted.reason }, { decision: 'accept', reason: 'ok.fallback' });
  assert.deepEqual(asked, ['send:email', 'verify']);
});

test('after a code was sent, a TOTP code is checked as the fallback code; three wrong ones end the dialogue, asking again spends none', async () => {
  const st = await start('fay');
  assert.equal((await follow('fay', 'sms', st)).replyMessage, FALLBACK_PROMPTS.sms);
  const wrong1 = await follow('fay', TOTP, st);
  assert.deepEqual({ reason: wrong1.reason, replyMessage: wrong1.replyMessage }, { reason: 'otp.invalid', replyMessage: RETRY_PROMPT });
  assert.equal((await follow('fay', 'sms', st)).reason, 'challenge.fallback_sent', 'a new code, no attempt spent');
  assert.equal((await follow('fay', 'not-a-code', st)).reason, 'otp.invalid');
  const third = await follow('fay', '000000', st);
  assert.deepEqual({ decision: third.decision, reason: third.reason }, { decision: 'reject', reason: 'otp.invalid' });
  assert.equal(asked.includes('otp'), false, 'the TOTP verifier was never asked');
  assert.equal((await follow('fay', SENT, st)).reason, 'challenge.replayed', 'the State is spent');
});

test('nothing sent (no address, verifier failing): a clear prompt, no attempt spent, the TOTP code still accepts', async () => {
  const st = await start('nia');
  for (let i = 0; i < 4; i++) {
    const r = await follow('nia', 'email', st);
    assert.deepEqual(
      { reason: r.reason, replyMessage: r.replyMessage },
      { reason: 'challenge.fallback_unavailable', replyMessage: FALLBACK_PROMPTS.no_address_email },
    );
  }
  assert.deepEqual((await follow('nia', TOTP, st)).reason, 'ok');
  const down = await start('dan');
  const r = await follow('dan', 'sms', down);
  assert.deepEqual(
    { decision: r.decision, reason: r.reason, replyMessage: r.replyMessage },
    {
      decision: 'challenge',
      reason: 'challenge.fallback_unavailable',
      replyMessage: FALLBACK_PROMPTS.unavailable,
    },
  );
  assert.equal((await follow('dan', TOTP, down)).reason, 'ok');
});

test('a client without fallbackCodes: `email` is a wrong code and nothing is sent', async () => {
  const st = await start('fay', false);
  const r = await follow('fay', 'email', st, false);
  assert.deepEqual(
    { decision: r.decision, reason: r.reason, replyMessage: r.replyMessage },
    { decision: 'challenge', reason: 'otp.invalid', replyMessage: RETRY_PROMPT },
  );
  assert.deepEqual(asked, [], 'neither the send endpoint nor the TOTP verifier (not a code) was asked');
});
