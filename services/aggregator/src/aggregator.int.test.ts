/**
 * The aggregator on a real PostgreSQL and the in-process bus, with verifier stand-ins that count
 * the calls they get: a locked second factor is refused before either verifier (Entra above all)
 * is asked, an unreadable lock fails closed, unlocked users still get both verifiers in parallel,
 * and early rejects are held at least the floor, and as long as recent full decisions took.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { subject, type DecideRequest, type DecideResponse } from '@tollgate/contracts';
import { MemoryBus } from '@tollgate/bus';
import { createLogger } from '@tollgate/logging';
import { otpFailureKey, publishConfigChanged, type ServiceContext } from '@tollgate/runtime';
import { Keyring } from '@tollgate/security';
import { MemoryStateStore, type StateStore } from '@tollgate/state';
import { PostgresDb, groups, migrate, settings, tokens, users } from '@tollgate/store';
import { createTestDatabase, uniquePrefix } from '@tollgate/testkit';
import { Aggregator } from './aggregator.js';
import { loadAggregatorConfig } from './config.js';

const FLOOR_MS = 120;
const database = await createTestDatabase('aggregator_decisions');
const db = new PostgresDb({ url: database.url, max: 4 });
const bus = new MemoryBus();
const prefix = uniquePrefix('agg');
const calls = { otp: 0, entra: 0, inFlight: 0, overlapped: false };
/** The password Entra was last asked about. */
let entraAsked: string | undefined;
let verifierDelayMs = 0;
const RIGHT = { otp: { outcome: 'valid' }, entra: { outcome: 'password_ok_mfa', aadsts: 50076, httpStatus: 400, latencyMs: 1 } };
const WRONG_PASSWORD = { outcome: 'invalid_credentials', aadsts: 50126, httpStatus: 400, latencyMs: 1 };
const answers: { otp: unknown; entra: unknown } = { ...RIGHT };
const POLICY = { otpMaxFailures: 3, otpLockoutSeconds: 60, passwordMaxFailures: 2, sourceMaxFailures: 3, passwordFailureWindowSeconds: 60 };
const running: Aggregator[] = [];

/** Both stand-ins answer "right" after `verifierDelayMs`, noting whether their calls overlapped. */
async function standIn(kind: 'otp' | 'entra', answer: unknown): Promise<unknown> {
  calls[kind]++;
  calls.inFlight++;
  if (calls.inFlight > 1) calls.overlapped = true;
  await new Promise((r) => setTimeout(r, verifierDelayMs || 5));
  calls.inFlight--;
  return answer;
}

before(async () => {
  await migrate(db);
  await settings.put(db, 'policy', POLICY);
  const token = {
    secretSealed: 'v1.sealed',
    digits: 6 as const,
    period: 30 as const,
    algorithm: 'SHA1' as const,
    source: 'generated' as const,
  };
  for (const upn of ['open@contoso.com', 'locked@contoso.com', 'paced@contoso.com', 'guess@contoso.com']) {
    await users.create(db, { upn });
    await tokens.put(db, { upn, ...token });
  }
  await users.create(db, { upn: 'off@contoso.com', enabled: false });
  await bus.serve({
    name: 'verifiers',
    version: '1.0.0',
    endpoints: [
      { name: 'verifyOtp', subject: subject(prefix, 'verifyOtp'), handler: () => standIn('otp', answers.otp) },
      {
        name: 'verifyEntra',
        subject: subject(prefix, 'verifyEntra'),
        handler: (payload) => {
          entraAsked = (payload as { password?: string }).password;
          return standIn('entra', answers.entra);
        },
      },
    ],
  });
});

after(async () => {
  for (const aggregator of running) await aggregator.stop();
  await bus.drain();
  await db.close();
  await database.drop();
});

async function startAggregator(state: StateStore, env: Record<string, string> = {}) {
  const metrics = new Registry();
  const context: ServiceContext = {
    env: {},
    logger: createLogger('aggregator', { level: 'silent' }),
    bus,
    subjectPrefix: prefix,
    db,
    state,
    keyring: Keyring.fromBase64(Keyring.generateBase64()),
    metrics,
  };
  const aggregator = new Aggregator(context, loadAggregatorConfig({ AGGREGATOR_REJECT_FLOOR_MS: String(FLOOR_MS), ...env }));
  await aggregator.start();
  running.push(aggregator);
  return { aggregator, metrics };
}

let ids = 0;
const request = (username: string, password = 'Secret-Pass123456', extra: Partial<DecideRequest> = {}): DecideRequest => ({
  requestId: `r${++ids}`,
  username,
  password,
  client: { id: 'c1', name: 'vpn', address: '127.0.0.1' },
  ...extra,
});

async function timed(aggregator: Aggregator, r: DecideRequest): Promise<{ response: DecideResponse; ms: number }> {
  const started = performance.now();
  const response = await aggregator.handle(r);
  return { response, ms: performance.now() - started };
}

const resetCalls = () => Object.assign(calls, { otp: 0, entra: 0, inFlight: 0, overlapped: false });

test('a locked second factor is refused without asking either verifier; below the limit both are asked', async () => {
  const state = new MemoryStateStore();
  const { aggregator } = await startAggregator(state);
  resetCalls();
  // Two wrong codes counted (the limit is 3): not locked yet, both verifiers asked.
  await state.increment(otpFailureKey('locked@contoso.com'), 60_000);
  await state.increment(otpFailureKey('locked@contoso.com'), 60_000);
  assert.deepEqual(await aggregator.handle(request('locked@contoso.com')), {
    decision: 'accept',
    reason: 'ok',
    upn: 'locked@contoso.com',
    aadsts: 50076,
  });
  assert.deepEqual([calls.otp, calls.entra], [1, 1]);
  // The third locks it: from then on nothing reaches a verifier, whatever is typed.
  await state.increment(otpFailureKey('locked@contoso.com'), 60_000);
  for (const typed of ['Secret-Pass123456', 'Wrong-Pass000000', 'no-code']) {
    assert.deepEqual(await aggregator.handle(request('locked@contoso.com', typed)), {
      decision: 'reject',
      reason: 'otp.locked',
      upn: 'locked@contoso.com',
    });
  }
  assert.deepEqual([calls.otp, calls.entra], [1, 1]);
});

test('unlocked users still get both verifiers in parallel', async () => {
  const { aggregator } = await startAggregator(new MemoryStateStore());
  resetCalls();
  verifierDelayMs = 50;
  try {
    assert.equal((await aggregator.handle(request('open@contoso.com'))).decision, 'accept');
  } finally {
    verifierDelayMs = 0;
  }
  assert.deepEqual([calls.otp, calls.entra, calls.overlapped], [1, 1, true]);
});

test('a lock that cannot be read rejects as verifier.unavailable (fail closed) and asks no verifier', async () => {
  // The state store refusing, as Redis does when it is down.
  const refusing = Object.assign(new MemoryStateStore(), {
    counters: async () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
  });
  const { aggregator, metrics } = await startAggregator(refusing);
  resetCalls();
  assert.deepEqual(await aggregator.handle(request('open@contoso.com')), {
    decision: 'reject',
    reason: 'verifier.unavailable',
    upn: 'open@contoso.com',
  });
  assert.deepEqual([calls.otp, calls.entra], [0, 0]);
  assert.match((await metrics.getSingleMetricAsString('tollgate_aggregator_lock_read_failures_total')) ?? '', /_total 1$/m);
  // What Tollgate knows of the user still comes first.
  assert.equal((await aggregator.handle(request('ghost@contoso.com'))).reason, 'user.unknown');
});

test('a lock read that stalls (Redis not answering) rejects as verifier.unavailable within the budget', async () => {
  const stalled = Object.assign(new MemoryStateStore(), { counters: () => new Promise<number[]>(() => undefined) });
  const { aggregator } = await startAggregator(stalled);
  resetCalls();
  const { response, ms } = await timed(aggregator, request('open@contoso.com', 'Secret-Pass123456', { budgetMs: 300 }));
  assert.deepEqual(response, { decision: 'reject', reason: 'verifier.unavailable', upn: 'open@contoso.com' });
  assert.deepEqual([calls.otp, calls.entra], [0, 0]);
  // Without the bound it would never answer; the gateway would give up at 300 ms.
  assert.ok(ms < 1000, `answered after ${ms.toFixed(1)} ms`);
});

test('early rejects take at least the floor: unknown, disabled, locked, no code', async () => {
  const state = new MemoryStateStore();
  for (let i = 0; i < 3; i++) await state.increment(otpFailureKey('locked@contoso.com'), 60_000);
  const { aggregator } = await startAggregator(state);
  const cases: Array<[DecideRequest, string]> = [
    [request('ghost@contoso.com'), 'user.unknown'],
    [request('off@contoso.com'), 'user.disabled'],
    [request('locked@contoso.com'), 'otp.locked'],
    [request('open@contoso.com', 'no-code-at-all'), 'request.no_otp'],
  ];
  for (const [r, reason] of cases) {
    const { response, ms } = await timed(aggregator, r);
    assert.equal(response.reason, reason);
    assert.ok(ms >= FLOOR_MS, `${reason} answered after ${ms.toFixed(1)} ms, sooner than the ${FLOOR_MS} ms floor`);
  }
});

test('early rejects take as long as recent full decisions, but never past the budget', async () => {
  const { aggregator } = await startAggregator(new MemoryStateStore());
  verifierDelayMs = 300;
  try {
    for (let i = 0; i < 3; i++) assert.equal((await aggregator.handle(request('paced@contoso.com'))).decision, 'accept');
  } finally {
    verifierDelayMs = 0;
  }
  const unknown = await timed(aggregator, request('ghost@contoso.com'));
  assert.equal(unknown.response.reason, 'user.unknown');
  assert.ok(unknown.ms >= 300, `an unknown user was answered after ${unknown.ms.toFixed(1)} ms; full decisions took 300 ms or more`);
  // A gateway with 100 ms left gets its answer within them (30 ms of them kept for the way back).
  const hurried = await timed(aggregator, request('ghost@contoso.com', 'Secret-Pass123456', { budgetMs: 100 }));
  assert.equal(hurried.response.reason, 'user.unknown');
  assert.ok(hurried.ms >= 70, `answered after ${hurried.ms.toFixed(1)} ms, before the 70 ms the budget allows`);
  // Uncapped it would have waited 300 ms like the full decisions.
  assert.ok(hurried.ms < 250, `answered after ${hurried.ms.toFixed(1)} ms: the hold went past the budget`);
});

test('wrong passwords: past the user limit, then the source limit, Entra is not asked (policy.rate_limited), on every replica', async () => {
  const state = new MemoryStateStore();
  // Two aggregators on one state store, as two replicas on one Redis.
  const first = await startAggregator(state);
  const second = await startAggregator(state);
  resetCalls();
  answers.entra = WRONG_PASSWORD;
  const from = (station: string) => ({ callingStationId: station });
  try {
    for (const aggregator of [first.aggregator, second.aggregator]) {
      assert.equal(
        (await aggregator.handle(request('guess@contoso.com', 'Guess-1123456', from('st-a')))).reason,
        'entra.invalid_credentials',
      );
    }
    // At passwordMaxFailures (2): refused before either verifier, on either replica, and paced like any early reject.
    for (const aggregator of [second.aggregator, first.aggregator]) {
      const { response, ms } = await timed(aggregator, request('guess@contoso.com', 'Guess-2123456', from('st-b')));
      assert.deepEqual(response, { decision: 'reject', reason: 'policy.rate_limited', upn: 'guess@contoso.com' });
      assert.ok(ms >= FLOOR_MS, `answered after ${ms.toFixed(1)} ms, sooner than the ${FLOOR_MS} ms floor`);
    }
    assert.deepEqual([calls.otp, calls.entra], [2, 2]);
    // The source st-a has 2 failures; a third user from it brings it to sourceMaxFailures (3).
    assert.equal(
      (await first.aggregator.handle(request('open@contoso.com', 'Guess-3123456', from('st-a')))).reason,
      'entra.invalid_credentials',
    );
    answers.entra = RIGHT.entra;
    const limited = await second.aggregator.handle(request('paced@contoso.com', 'Secret-Pass123456', from('st-a')));
    assert.deepEqual(limited, { decision: 'reject', reason: 'policy.rate_limited', upn: 'paced@contoso.com' });
    assert.deepEqual([calls.otp, calls.entra], [3, 3]);
    // The same user from another source is not limited, and her right password clears her own count.
    assert.equal((await first.aggregator.handle(request('open@contoso.com', 'Secret-Pass123456', from('st-c')))).decision, 'accept');
    assert.deepEqual([calls.otp, calls.entra], [4, 4]);
    const limits = async (metrics: Registry) => (await metrics.getSingleMetricAsString('tollgate_aggregator_rate_limited_total')) ?? '';
    assert.match(await limits(first.metrics), /limit="user"} 1$/m);
    assert.match(await limits(second.metrics), /limit="user"} 1$/m);
    assert.match(await limits(second.metrics), /limit="source"} 1$/m);
  } finally {
    Object.assign(answers, RIGHT);
  }
});

test('a wrong-password count that cannot be read rejects as verifier.unavailable and asks no verifier', async () => {
  // The OTP counter reads, the password counters do not: any unreadable counter fails closed.
  const partial = new MemoryStateStore();
  const counters = partial.counters.bind(partial);
  Object.assign(partial, {
    counters: (keys: string[]) =>
      keys.some((key) => key.startsWith('pw:'))
        ? Promise.reject(Object.assign(new Error('timed out'), { code: 'state_timeout' }))
        : counters(keys),
  });
  const { aggregator } = await startAggregator(partial);
  resetCalls();
  assert.deepEqual(await aggregator.handle(request('open@contoso.com')), {
    decision: 'reject',
    reason: 'verifier.unavailable',
    upn: 'open@contoso.com',
  });
  assert.deepEqual([calls.otp, calls.entra], [0, 0]);
});

test('otp_first: a code that is not valid asks Entra nothing; a valid one asks Entra after it', async () => {
  await settings.put(db, 'policy', { ...POLICY, verificationOrder: 'otp_first' });
  try {
    const { aggregator } = await startAggregator(new MemoryStateStore());
    resetCalls();
    for (const outcome of ['invalid', 'replayed']) {
      answers.otp = { outcome };
      assert.equal((await aggregator.handle(request('open@contoso.com'))).reason, `otp.${outcome}`);
    }
    assert.deepEqual([calls.otp, calls.entra], [2, 0]);
    answers.otp = RIGHT.otp;
    verifierDelayMs = 30;
    assert.equal((await aggregator.handle(request('open@contoso.com'))).decision, 'accept');
    assert.deepEqual([calls.otp, calls.entra, calls.overlapped], [3, 1, false]);
    // A wrong password after a valid code is counted like any other.
    answers.entra = WRONG_PASSWORD;
    assert.equal((await aggregator.handle(request('guess@contoso.com'))).reason, 'entra.invalid_credentials');
    assert.equal((await aggregator.handle(request('guess@contoso.com'))).reason, 'entra.invalid_credentials');
    assert.equal((await aggregator.handle(request('guess@contoso.com'))).reason, 'policy.rate_limited');
    assert.deepEqual([calls.otp, calls.entra], [5, 3]);
  } finally {
    verifierDelayMs = 0;
    Object.assign(answers, RIGHT);
    await settings.put(db, 'policy', POLICY);
  }
});

const NO_MFA = { outcome: 'no_mfa', httpStatus: 200, latencyMs: 1 };
const token = {
  secretSealed: 'v1.sealed',
  digits: 6 as const,
  period: 30 as const,
  algorithm: 'SHA1' as const,
  source: 'generated' as const,
};

/** Tells the running aggregators that groups changed, as the admin API does, and lets the event arrive. */
async function groupsChanged(): Promise<void> {
  publishConfigChanged({ bus, subjectPrefix: prefix }, { kind: 'groups' });
  await new Promise((resolve) => setTimeout(resolve, 20));
}

test('groups: a client the groups do not allow is refused before either verifier; once allowed, the accept carries their reply attributes', async () => {
  await users.create(db, { upn: 'roamer@contoso.com' });
  await tokens.put(db, { upn: 'roamer@contoso.com', ...token });
  await groups.create(db, { name: 'wifi-only' });
  await groups.setPolicy(db, 'wifi-only', { allowedClients: ['wifi'], replyAttributes: [{ name: 'Filter-Id', value: 'wifi' }] });
  await groups.addMember(db, 'wifi-only', 'roamer@contoso.com');
  const { aggregator } = await startAggregator(new MemoryStateStore());
  resetCalls();
  const { response, ms } = await timed(aggregator, request('roamer@contoso.com'));
  assert.deepEqual(response, { decision: 'reject', reason: 'policy.client_not_allowed', upn: 'roamer@contoso.com' });
  assert.deepEqual([calls.otp, calls.entra], [0, 0]);
  assert.ok(ms >= FLOOR_MS, `answered after ${ms.toFixed(1)} ms, sooner than the ${FLOOR_MS} ms floor`);
  // A second group with no list adds no client; one naming vpn does.
  await groups.create(db, { name: 'staff' });
  await groups.setPolicy(db, 'staff', { replyAttributes: [{ name: 'Fortinet-Group-Name', value: 'staff' }] });
  await groups.addMember(db, 'staff', 'roamer@contoso.com');
  await groupsChanged();
  assert.equal((await aggregator.handle(request('roamer@contoso.com'))).reason, 'policy.client_not_allowed');
  await groups.setPolicy(db, 'staff', { allowedClients: ['vpn'] });
  await groupsChanged();
  assert.deepEqual(await aggregator.handle(request('roamer@contoso.com')), {
    decision: 'accept',
    reason: 'ok',
    upn: 'roamer@contoso.com',
    aadsts: 50076,
    replyAttributes: [
      { name: 'Fortinet-Group-Name', value: 'staff' },
      { name: 'Filter-Id', value: 'wifi' },
    ],
  });
  // A reject carries none.
  answers.otp = { outcome: 'invalid' };
  try {
    assert.deepEqual(await aggregator.handle(request('roamer@contoso.com')), {
      decision: 'reject',
      reason: 'otp.invalid',
      upn: 'roamer@contoso.com',
      aadsts: 50076,
    });
  } finally {
    Object.assign(answers, RIGHT);
  }
});

test('groups: reply attributes are the union of the groups, by group name, an identical pair once; too many is reply_too_large', async () => {
  await users.create(db, { upn: 'multi@contoso.com' });
  await tokens.put(db, { upn: 'multi@contoso.com', ...token });
  await groups.create(db, { name: 'm-b' });
  await groups.create(db, { name: 'm-a' });
  await groups.setPolicy(db, 'm-b', {
    replyAttributes: [
      { name: 'Class', value: 'b' },
      { name: 'Session-Timeout', value: 3600 },
    ],
  });
  await groups.setPolicy(db, 'm-a', {
    replyAttributes: [
      { name: 'Session-Timeout', value: 3600 },
      { name: 'Cisco-AVPair', value: 'shell:priv-lvl=15' },
    ],
  });
  await groups.addMember(db, 'm-b', 'multi@contoso.com');
  await groups.addMember(db, 'm-a', 'multi@contoso.com', 'entra');
  const { aggregator } = await startAggregator(new MemoryStateStore());
  assert.deepEqual((await aggregator.handle(request('multi@contoso.com'))).replyAttributes, [
    { name: 'Session-Timeout', value: 3600 },
    { name: 'Cisco-AVPair', value: 'shell:priv-lvl=15' },
    { name: 'Class', value: 'b' },
  ]);
  await groups.setPolicy(db, 'm-b', { replyAttributes: Array.from({ length: 64 }, (_, i) => ({ name: 'Class', value: `c${i}` })) });
  await groupsChanged();
  assert.deepEqual(await aggregator.handle(request('multi@contoso.com')), {
    decision: 'reject',
    reason: 'policy.reply_too_large',
    upn: 'multi@contoso.com',
    aadsts: 50076,
  });
  // A user event drops that user's cached group policy too.
  await groups.removeMember(db, 'm-b', 'multi@contoso.com');
  publishConfigChanged({ bus, subjectPrefix: prefix }, { kind: 'users', key: 'multi@contoso.com' });
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal((await aggregator.handle(request('multi@contoso.com'))).replyAttributes?.length, 2);
  // And an `all` event drops every cached group policy.
  await groups.removeMember(db, 'm-a', 'multi@contoso.com', 'entra');
  publishConfigChanged({ bus, subjectPrefix: prefix }, { kind: 'all' });
  await new Promise((resolve) => setTimeout(resolve, 20));
  const bare = await aggregator.handle(request('multi@contoso.com'));
  assert.deepEqual([bare.decision, bare.replyAttributes], ['accept', undefined]);
});

test('groups: an exempt member signs in with the password alone; limits, counting and the user record still apply', async () => {
  await users.create(db, { upn: 'svc-backup@contoso.com' });
  await users.create(db, { upn: 'exempt-mfa@contoso.com' });
  await tokens.put(db, { upn: 'exempt-mfa@contoso.com', ...token });
  await users.create(db, { upn: 'exempt-off@contoso.com', enabled: false });
  await groups.create(db, { name: 'service-accounts' });
  await groups.setPolicy(db, 'service-accounts', { mfaExempt: true, replyAttributes: [{ name: 'Filter-Id', value: 'svc' }] });
  for (const upn of ['svc-backup@contoso.com', 'exempt-mfa@contoso.com', 'exempt-off@contoso.com']) {
    await groups.addMember(db, 'service-accounts', upn);
  }
  const { aggregator } = await startAggregator(new MemoryStateStore());
  resetCalls();
  try {
    // A token-issued account (no MFA in Entra, no Tollgate token): the whole typed value is the password.
    answers.entra = NO_MFA;
    assert.deepEqual(await aggregator.handle(request('svc-backup@contoso.com', 'Backup-Pass-123456')), {
      decision: 'accept',
      reason: 'ok.exempt',
      upn: 'svc-backup@contoso.com',
      replyAttributes: [{ name: 'Filter-Id', value: 'svc' }],
    });
    assert.equal(entraAsked, 'Backup-Pass-123456');
    assert.deepEqual([calls.otp, calls.entra], [0, 1]);
    // An account with MFA and a token is accepted on its password alone.
    answers.entra = RIGHT.entra;
    const mfa = await aggregator.handle(request('exempt-mfa@contoso.com', 'Secret-Pass'));
    assert.deepEqual([mfa.decision, mfa.reason], ['accept', 'ok.exempt']);
    assert.equal(entraAsked, 'Secret-Pass');
    assert.deepEqual([calls.otp, calls.entra], [0, 2]);
    // A disabled member is refused before Entra is asked.
    assert.deepEqual(await aggregator.handle(request('exempt-off@contoso.com', 'Secret-Pass')), {
      decision: 'reject',
      reason: 'user.disabled',
      upn: 'exempt-off@contoso.com',
    });
    assert.deepEqual([calls.otp, calls.entra], [0, 2]);
    // Wrong passwords are counted: at passwordMaxFailures (2) Entra is no longer asked.
    answers.entra = WRONG_PASSWORD;
    for (let i = 0; i < 2; i++) {
      const wrong = await aggregator.handle(request('svc-backup@contoso.com', `Wrong-${i}`, { callingStationId: `svc-${i}` }));
      assert.deepEqual([wrong.decision, wrong.reason, wrong.replyAttributes], ['reject', 'entra.invalid_credentials', undefined]);
    }
    answers.entra = NO_MFA;
    assert.equal((await aggregator.handle(request('svc-backup@contoso.com', 'Backup-Pass-123456'))).reason, 'policy.rate_limited');
    assert.deepEqual([calls.otp, calls.entra], [0, 4]);
  } finally {
    Object.assign(answers, RIGHT);
  }
  // Out of the group, the same account is the usual no-MFA refusal.
  await groups.removeMember(db, 'service-accounts', 'exempt-mfa@contoso.com');
  await groupsChanged();
  assert.equal((await aggregator.handle(request('exempt-mfa@contoso.com', 'Secret-Pass'))).reason, 'request.no_otp');
});
