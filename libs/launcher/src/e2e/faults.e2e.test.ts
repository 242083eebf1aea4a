import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Keyring, randomToken } from '@tollgate/security';
import {
  TEST_NATS_URL,
  TEST_REDIS_URL,
  createTestDatabase,
  freeTcpPort,
  freeUdpPort,
  oathtoolTotp,
  radclient,
  startEntraStandIn,
  startFaultProxy,
  startTollgate,
  uniquePrefix,
  type EntraStandIn,
  type FaultProxy,
  type TollgateProcess,
} from '@tollgate/testkit';
import { AdminClient } from './admin-client.js';
import { COMMON_TEST_ENV } from './stack.js';

/**
 * Backend faults, with a fault proxy between Tollgate and each of Redis, PostgreSQL, NATS and
 * the Entra stand-in. Two processes: the front (gateway, aggregator, admin API) and the
 * verifiers, so a NATS outage is lived through by two connections. For each fault: a request
 * is answered within the decision deadline and correctly (Access-Reject while the backend is
 * out), /readyz of every process that uses the backend says degraded and names it, and once the
 * backend is back the processes are ready again and accept, by themselves.
 */
const DOMAIN = 'faults.example';
const SECRET = `nas-${randomBytes(12).toString('hex')}`;
const DEADLINE_MS = Number(COMMON_TEST_ENV.RADIUS_DECISION_TIMEOUT_MS);
/** radclient's own start and the reply's trip back, on a loaded 2-core machine. */
const ANSWER_SLACK_MS = 600;

interface User {
  upn: string;
  password: string;
  seed: string;
}

let front: TollgateProcess;
let verifiers: TollgateProcess;
let entra: EntraStandIn;
let admin: AdminClient;
let radiusPort: number;
let drop: () => Promise<void>;
const proxies = {} as Record<'redis' | 'postgres' | 'nats' | 'entra', FaultProxy>;
const fresh: User[] = [];

function viaProxy(url: string, proxy: FaultProxy): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(proxy.port);
  return u.toString();
}

before(async () => {
  const database = await createTestDatabase('faults');
  drop = database.drop;
  entra = await startEntraStandIn();
  const target = (url: string, fallback: number) => ({
    targetHost: new URL(url).hostname,
    targetPort: Number(new URL(url).port || fallback),
  });
  proxies.redis = await startFaultProxy(target(TEST_REDIS_URL, 6379));
  proxies.postgres = await startFaultProxy(target(database.url, 5432));
  proxies.nats = await startFaultProxy(target(TEST_NATS_URL, 4222));
  proxies.entra = await startFaultProxy(target(entra.url, 80));
  const prefix = uniquePrefix('faults');
  radiusPort = await freeUdpPort();
  const adminPort = await freeTcpPort();
  const env: Record<string, string> = {
    ...COMMON_TEST_ENV,
    LOG_LEVEL: 'warn',
    NATS_URL: viaProxy(TEST_NATS_URL, proxies.nats),
    NATS_SUBJECT_PREFIX: prefix,
    DATABASE_URL: viaProxy(database.url, proxies.postgres),
    REDIS_URL: viaProxy(TEST_REDIS_URL, proxies.redis),
    REDIS_KEY_PREFIX: `${prefix}:`,
    TOLLGATE_MASTER_KEY: Keyring.generateBase64(),
    ADMIN_API_TOKEN: randomToken(),
    ADMIN_PORT: String(adminPort),
    RADIUS_AUTH_PORT: String(radiusPort),
    READINESS_PROBE_INTERVAL_MS: '200',
    READINESS_PROBE_TIMEOUT_MS: '150',
  };
  // The front first: it runs the migrations.
  front = await startTollgate({ targets: ['admin-api', 'aggregator', 'radius-gateway'], env });
  verifiers = await startTollgate({ targets: ['otp-verifier', 'entra-verifier'], env });
  admin = new AdminClient(`http://127.0.0.1:${adminPort}`, env.ADMIN_API_TOKEN!);
  await admin.useEntraStandIn(entra, DOMAIN, `http://127.0.0.1:${proxies.entra.port}`);
  await admin.call('POST', '/api/v1/radius-clients', { name: 'vpn', address: '127.0.0.1', secret: SECRET });
  // One user per expected accept: a code's time step is used once.
  for (let i = 0; i < 18; i++) {
    const upn = `user${i}@${DOMAIN}`;
    const password = `Pw-${randomBytes(6).toString('base64url')}`;
    entra.setUser(upn, { password, kind: 'mfa' });
    await admin.call('POST', '/api/v1/users', { username: upn });
    const { secret } = await admin.call<{ secret: string }>('POST', `/api/v1/users/${upn}/totp`, {});
    fresh.push({ upn, password, seed: secret });
  }
});

after(async () => {
  for (const proxy of Object.values(proxies)) proxy.set('pass');
  await Promise.all([front, verifiers].filter(Boolean).map((p) => p.stop('SIGKILL')));
  await Promise.all(Object.values(proxies).map((p) => p.close()));
  await entra?.close();
  await drop?.();
});

/** One Access-Request with the right password and code; its reply and how long it took. */
async function authenticate(user: User): Promise<{ code: string; ms: number }> {
  const code = await oathtoolTotp({ base32Secret: user.seed });
  const started = performance.now();
  const reply = await radclient({
    port: radiusPort,
    secret: SECRET,
    attributes: { 'User-Name': user.upn, 'User-Password': user.password + code },
    timeoutSec: 5,
    retries: 1,
  });
  return { code: reply.code, ms: performance.now() - started };
}

async function readyz(
  process: TollgateProcess,
): Promise<{ status: number; body: { checks: Record<string, boolean>; causes: Record<string, string> } }> {
  const res = await fetch(`http://127.0.0.1:${process.metricsPort}/readyz`);
  return { status: res.status, body: (await res.json()) as { checks: Record<string, boolean>; causes: Record<string, string> } };
}

/** Polls /readyz until `accept` holds; fails with the last answer after `ms`. */
async function untilReadyz(process: TollgateProcess, accept: (r: Awaited<ReturnType<typeof readyz>>) => boolean, what: string, ms = 6000) {
  const end = Date.now() + ms;
  let last: Awaited<ReturnType<typeof readyz>> | undefined;
  while (Date.now() < end) {
    last = await readyz(process);
    if (accept(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`${what}: last /readyz ${JSON.stringify(last)}`);
}

/** Waits for the request's auth-log entry (written in batches) and checks its reason. */
async function untilReason(upn: string, reason: RegExp): Promise<void> {
  const end = Date.now() + 3000;
  let reasons: string[] = [];
  while (Date.now() < end) {
    reasons = await admin.reasons(upn);
    if (reasons.length > 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.match(reasons[0] ?? '(none)', reason, `reasons for ${upn}: ${reasons.join(', ')}`);
}

const degraded = (check: string, cause: RegExp) => (r: Awaited<ReturnType<typeof readyz>>) =>
  r.status === 503 && r.body.checks[check] === false && cause.test(r.body.causes[check] ?? '');
const ready = (r: Awaited<ReturnType<typeof readyz>>) => r.status === 200;

/** The fault's whole course: out -> degraded and rejected in time -> back -> ready -> accepted. */
async function outage(options: {
  proxy: FaultProxy;
  mode: 'refuse' | 'stall';
  /** Processes whose /readyz must name the backend, with the check and cause. */
  degrades: Array<[TollgateProcess, string, RegExp]>;
  /** The auth log's reason for a request rejected during the outage (where the aggregator saw it). */
  reason?: RegExp;
}): Promise<void> {
  options.proxy.set(options.mode);
  for (const [process, check, cause] of options.degrades) await untilReadyz(process, degraded(check, cause), `degraded (${check})`);
  for (let i = 0; i < 2; i++) {
    const user = fresh.pop()!;
    const during = await authenticate(user);
    assert.equal(during.code, 'Access-Reject', 'fail closed while the backend is out');
    assert.ok(during.ms < DEADLINE_MS + ANSWER_SLACK_MS, `rejected after ${Math.round(during.ms)} ms (deadline ${DEADLINE_MS} ms)`);
    if (options.reason) await untilReason(user.upn, options.reason);
  }
  // A backend that is not the processes' own (Entra) leaves them ready: taking every replica out would not help.
  if (options.degrades.length === 0) for (const process of [front, verifiers]) assert.equal((await readyz(process)).status, 200);
  options.proxy.set('pass');
  for (const process of [front, verifiers]) await untilReadyz(process, ready, 'ready again by itself');
  const back = await authenticate(fresh.pop()!);
  assert.equal(back.code, 'Access-Accept', 'accepted again once the backend is back');
  assert.ok(back.ms < DEADLINE_MS, `accepted after ${Math.round(back.ms)} ms`);
}

test('all backends up: ready, and a right password and code are accepted', async () => {
  for (const process of [front, verifiers]) assert.equal((await readyz(process)).status, 200);
  assert.equal((await authenticate(fresh.pop()!)).code, 'Access-Accept');
});

test('Redis refused: rejected within the deadline (never locked), both processes degraded, back by itself', async () => {
  await outage({
    proxy: proxies.redis,
    mode: 'refuse',
    degrades: [
      [front, 'state', /^redis: /],
      [verifiers, 'state', /^redis: /],
    ],
    reason: /^verifier\.unavailable$/,
  });
});

test('Redis stalled: rejected within the deadline, both processes degraded, back by itself', async () => {
  await outage({
    proxy: proxies.redis,
    mode: 'stall',
    degrades: [
      [front, 'state', /^redis: /],
      [verifiers, 'state', /^redis: /],
    ],
    reason: /^verifier\.unavailable$/,
  });
});

test('PostgreSQL stalled: rejected within the deadline, both processes degraded, back by itself', async () => {
  await outage({
    proxy: proxies.postgres,
    mode: 'stall',
    degrades: [
      [front, 'database', /^postgresql: /],
      [verifiers, 'database', /^postgresql: /],
    ],
  });
});

test('NATS down and back: rejected within the deadline, both processes degraded, both reconnect by themselves', async () => {
  await outage({
    proxy: proxies.nats,
    mode: 'refuse',
    degrades: [
      [front, 'bus', /^nats: /],
      [verifiers, 'bus', /^nats: /],
    ],
  });
});

test('Entra stalled: rejected within the deadline (timeout) while the processes stay ready, then accepted again', async () => {
  await outage({ proxy: proxies.entra, mode: 'stall', degrades: [], reason: /^(timeout|entra\.unavailable|verifier\.unavailable)$/ });
});

test('PostgreSQL connections cut mid-stream: the pools reconnect and the next request is accepted', async () => {
  proxies.postgres.set('cut');
  // The pools learn of the cut on their next use; the first request may be rejected, never wrongly accepted late.
  const first = await authenticate(fresh.pop()!);
  assert.ok(first.ms < DEADLINE_MS + ANSWER_SLACK_MS, `answered after ${Math.round(first.ms)} ms`);
  for (const process of [front, verifiers]) await untilReadyz(process, ready, 'ready after the cut');
  assert.equal((await authenticate(fresh.pop()!)).code, 'Access-Accept');
});
