import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { randomToken } from '@tollgate/security';
import {
  createTestDatabase,
  freeTcpPort,
  freeUdpPort,
  metricValue,
  oathtoolTotp,
  radclient,
  startEntraStandIn,
  startTollgate,
  uniquePrefix,
  type EntraStandIn,
  type TollgateProcess,
} from '@tollgate/testkit';
import { AdminClient } from './admin-client.js';
import { COMMON_TEST_ENV } from './stack.js';
import { distributedBackendEnv } from './distributed-stack.js';

/**
 * Horizontal scale: two replicas of every service, each its own process on the real NATS,
 * PostgreSQL and Redis. Under a steady stream of Access-Requests one replica of each service
 * is stopped (SIGTERM for some, SIGKILL for others) and started again; every request must get
 * its right answer (the NAS retransmits, as radclient does), both replicas of each verifier
 * must have served, and no code may be accepted twice across the two gateways.
 */
const SERVICES = ['otp-verifier', 'entra-verifier', 'aggregator', 'admin-api', 'radius-gateway'] as const;
type Service = (typeof SERVICES)[number];
const DOMAIN = 'scale.example';
const SECRET = `nas-${randomBytes(12).toString('hex')}`;

interface Replica {
  service: Service;
  index: number;
  env: Record<string, string>;
  process: TollgateProcess;
}

let replicas: Replica[] = [];
let entra: EntraStandIn;
let admin: AdminClient;
let drop: () => Promise<void>;
const gatewayPorts: number[] = [];

async function startReplica(service: Service, index: number, env: Record<string, string>): Promise<Replica> {
  return { service, index, env, process: await startTollgate({ targets: [service], env }) };
}

before(async () => {
  const database = await createTestDatabase('scale');
  drop = database.drop;
  entra = await startEntraStandIn();
  const prefix = uniquePrefix('scale');
  const base = {
    ...COMMON_TEST_ENV,
    // A NAS's timeouts (FortiGate, pfSense: 5 s): a deadline under it, verifiers inside that.
    RADIUS_DECISION_TIMEOUT_MS: '4500',
    RADIUS_DECISION_RESERVE_MS: '1200',
    VERIFIER_TIMEOUT_MS: '3200',
    ENTRA_TIMEOUT_MS: '2500',
    LOG_LEVEL: 'warn',
    ...distributedBackendEnv(database.url, prefix),
    ADMIN_API_TOKEN: randomToken(),
  };
  const adminPorts = [await freeTcpPort(), await freeTcpPort()];
  gatewayPorts.push(await freeUdpPort(), await freeUdpPort());
  for (const service of SERVICES) {
    for (const index of [0, 1]) {
      const env: Record<string, string> = { ...base };
      if (service === 'admin-api') env.ADMIN_PORT = String(adminPorts[index]);
      if (service === 'radius-gateway') env.RADIUS_AUTH_PORT = String(gatewayPorts[index]);
      replicas.push(await startReplica(service, index, env));
    }
  }
  admin = new AdminClient(`http://127.0.0.1:${adminPorts[0]}`, base.ADMIN_API_TOKEN);
  await admin.useEntraStandIn(entra, DOMAIN);
  await admin.call('POST', '/api/v1/radius-clients', { name: 'vpn', address: '127.0.0.1', secret: SECRET });
});

after(async () => {
  await Promise.all(replicas.map((r) => r.process.stop('SIGKILL')));
  await entra?.close();
  await drop?.();
});

interface User {
  upn: string;
  password: string;
  seed: string;
}

async function enroll(count: number, label: string): Promise<User[]> {
  const users: User[] = [];
  for (let i = 0; i < count; i++) {
    const upn = `${label}${i}@${DOMAIN}`;
    const password = `Pw-${randomBytes(6).toString('base64url')}`;
    entra.setUser(upn, { password, kind: 'mfa' });
    await admin.call('POST', '/api/v1/users', { username: upn });
    const { secret } = await admin.call<{ secret: string }>('POST', `/api/v1/users/${upn}/totp`, {});
    users.push({ upn, password, seed: secret });
  }
  return users;
}

/** One NAS request as a FortiGate would send it: a 5 s timeout, retransmitted up to 4 times. */
async function authenticate(port: number, user: User, right: boolean): Promise<string> {
  const code = await oathtoolTotp({ base32Secret: user.seed });
  const password = right ? user.password + code : `wrong-${user.password}${code}`;
  const reply = await radclient({
    port,
    secret: SECRET,
    attributes: { 'User-Name': user.upn, 'User-Password': password },
    timeoutSec: 5,
    retries: 4,
  });
  return reply.code;
}

const replicaOf = (service: Service, index: number) => replicas.find((r) => r.service === service && r.index === index)!;

/** Stops one replica with the signal and starts a fresh one in its place (same ports). */
async function bounce(service: Service, index: number, signal: NodeJS.Signals): Promise<void> {
  const old = replicaOf(service, index);
  const code = await old.process.stop(signal);
  if (signal === 'SIGTERM') assert.equal(code, 0, `${service}#${index} drains and exits cleanly on SIGTERM`);
  const fresh = await startReplica(service, index, old.env);
  replicas = replicas.map((r) => (r === old ? fresh : r));
}

test('replicas die and come back under load; every request gets its right answer', async () => {
  const users = await enroll(72, 'load');
  const results: Array<{ user: string; expected: string; got: string }> = [];
  let next = 0;
  let stop = false;
  const worker = async () => {
    while (!stop && next < users.length) {
      const i = next++;
      const expected = i % 4 === 3 ? 'Access-Reject' : 'Access-Accept';
      const got = await authenticate(gatewayPorts[i % 2]!, users[i]!, expected === 'Access-Accept');
      results.push({ user: users[i]!.upn, expected, got });
      await new Promise((r) => setTimeout(r, 120));
    }
  };
  const load = Promise.all([worker(), worker(), worker()]);
  const chaos = (async () => {
    const plan: Array<[Service, number, NodeJS.Signals]> = [
      ['otp-verifier', 0, 'SIGTERM'],
      ['entra-verifier', 1, 'SIGKILL'],
      ['aggregator', 0, 'SIGKILL'],
      ['radius-gateway', 0, 'SIGTERM'],
      ['otp-verifier', 1, 'SIGKILL'],
      ['aggregator', 1, 'SIGTERM'],
      ['entra-verifier', 0, 'SIGTERM'],
      ['radius-gateway', 1, 'SIGKILL'],
      ['admin-api', 1, 'SIGKILL'],
    ];
    for (const [service, index, signal] of plan) {
      await new Promise((r) => setTimeout(r, 400));
      await bounce(service, index, signal);
    }
  })();
  await chaos;
  await load;
  stop = true;
  assert.equal(results.length, users.length, 'every request was sent');
  const wrong = await Promise.all(
    results.filter((r) => r.expected !== r.got).map(async (r) => ({ ...r, reasons: await admin.reasons(r.user, 5) })),
  );
  assert.deepEqual(wrong, [], 'every request got its right answer');
  assert.ok(results.filter((r) => r.got === 'Access-Accept').length >= 50);
});

test('after the restarts, both replicas of each verifier take work', async () => {
  const users = await enroll(24, 'spread');
  for (const [i, user] of users.entries()) assert.equal(await authenticate(gatewayPorts[i % 2]!, user, true), 'Access-Accept');
  const served = async (service: Service, metric: string) =>
    Promise.all([0, 1].map(async (index) => metricValue(await replicaOf(service, index).process.metrics(), metric)));
  for (const [service, metric] of [
    ['otp-verifier', 'tollgate_otp_verifications_total'],
    ['entra-verifier', 'tollgate_entra_requests_total'],
    ['aggregator', 'tollgate_aggregator_decisions_total'],
    ['radius-gateway', 'tollgate_radius_requests_total'],
  ] as Array<[Service, string]>) {
    const counts = await served(service, metric);
    assert.ok(
      counts.every((c) => c > 0),
      `${service} replicas served ${counts.join(' and ')} requests`,
    );
  }
});

test('one code sent to both gateways at once is accepted once', async () => {
  const users = await enroll(6, 'race');
  for (const user of users) {
    const code = await oathtoolTotp({ base32Secret: user.seed });
    const send = (port: number) =>
      radclient({
        port,
        secret: SECRET,
        attributes: { 'User-Name': user.upn, 'User-Password': user.password + code },
        timeoutSec: 3,
        retries: 2,
      });
    const replies = await Promise.all(gatewayPorts.map(send));
    assert.deepEqual(replies.map((r) => r.code).sort(), ['Access-Accept', 'Access-Reject'], `${user.upn}: ${replies.map((r) => r.code)}`);
  }
  assert.deepEqual((await admin.reasons(users[0]!.upn, 2)).sort(), ['ok', 'otp.replayed']);
});
