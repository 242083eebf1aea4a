/**
 * The gateway component end to end: real PostgreSQL for the clients, a MemoryBus with a small
 * aggregator stand-in on the decide subject, a MemoryStateStore, and the real FreeRADIUS
 * `radclient` (plus raw datagrams where radclient cannot do what a test needs).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { radiusPackage as radius } from '@tollgate/testkit';
import { Registry } from 'prom-client';
import { subject, type DecideRequest } from '@tollgate/contracts';
import { MemoryBus } from '@tollgate/bus';
import { createLogger } from '@tollgate/logging';
import { publishConfigChanged, type ServiceContext } from '@tollgate/runtime';
import { Keyring } from '@tollgate/security';
import { MemoryStateStore } from '@tollgate/state';
import { migrate, PostgresDb, radiusClients } from '@tollgate/store';
import { createTestDatabase, encodeProxyStatePaddedRequest, radclient, uniquePrefix } from '@tollgate/testkit';
import { radiusGateway, RadiusGateway } from './index.js';

const MAIN_SECRET = 'main-nas-shared-secret';
const LEGACY_SECRET = 'legacy-nas-shared-secret';
const PASSWORDS = {
  alice: 'Correct-Horse-123456',
  bob: 'Wrong-Battery-654321',
  slow: 'Slow-Staple-111111',
  hold: 'Hold-On-222222',
  carol: 'Carol-Pass-333333',
  policy: 'Policy-Pass-444444',
};
/** What the stand-in's accept for `policy` carries, and how radclient (its own dictionaries) prints each. */
const REPLY_ATTRIBUTES: Array<{ name: string; value: string | number; printed: string }> = [
  { name: 'Fortinet-Group-Name', value: 'vpn-admins', printed: 'vpn-admins' },
  { name: 'Cisco-AVPair', value: 'shell:priv-lvl=15', printed: 'shell:priv-lvl=15' },
  { name: 'PaloAlto-User-Group', value: 'contractors', printed: 'contractors' },
  { name: 'Aruba-User-Role', value: 'employee', printed: 'employee' },
  { name: 'Juniper-Local-User-Name', value: 'remote-admin', printed: 'remote-admin' },
  { name: 'Class', value: '0x746f6c6c67617465', printed: '0x746f6c6c67617465' },
  { name: 'Session-Timeout', value: 28800, printed: '28800' },
  { name: 'Filter-Id', value: 'staff-acl', printed: 'staff-acl' },
  { name: 'Framed-IP-Address', value: '10.20.30.40', printed: '10.20.30.40' },
  { name: 'Service-Type', value: 'Framed-User', printed: 'Framed-User' },
  { name: 'MS-Primary-DNS-Server', value: '192.0.2.53', printed: '192.0.2.53' },
];
const DECISION_TIMEOUT_MS = 800;

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let db: PostgresDb;
let bus: MemoryBus;
let state: MemoryStateStore;
let context: ServiceContext;
let gateway: RadiusGateway;
let port: number;
const logLines: string[] = [];
const calls: DecideRequest[] = [];
const callsFor = (username: string) => calls.filter((c) => c.username === username).length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  database = await createTestDatabase('radius_gateway');
  db = new PostgresDb({ url: database.url });
  await migrate(db);
  const keyring = Keyring.fromBase64(Keyring.generateBase64());
  await radiusClients.create(db, {
    id: 'c-main',
    name: 'nas-main',
    address: '127.0.0.1',
    secretSealed: keyring.seal(MAIN_SECRET, 'radius-client:c-main'),
    requireMessageAuthenticator: true,
  });

  bus = new MemoryBus();
  const prefix = uniquePrefix('rg');
  // The aggregator stand-in: accept alice, reject everyone else, take its time for some.
  await bus.serve({
    name: 'aggregator',
    version: '1.0.0',
    endpoints: [
      {
        name: 'decide',
        subject: subject(prefix, 'decide'),
        handler: async (payload) => {
          const request = payload as DecideRequest;
          calls.push(request);
          if (request.username === 'slow') await sleep(DECISION_TIMEOUT_MS + 1500);
          if (request.username === 'hold') await sleep(400);
          const known = (PASSWORDS as Record<string, string>)[request.username] === request.password;
          if (request.username === 'policy' && known) {
            return { decision: 'accept', reason: 'ok', replyAttributes: REPLY_ATTRIBUTES.map(({ name, value }) => ({ name, value })) };
          }
          return request.username === 'alice' && known
            ? { decision: 'accept', reason: 'ok', upn: 'alice@contoso.com' }
            : { decision: 'reject', reason: 'entra.invalid_credentials' };
        },
      },
    ],
  });
  state = new MemoryStateStore();
  context = {
    env: {
      RADIUS_BIND: '::',
      RADIUS_AUTH_PORT: '0',
      RADIUS_DECISION_TIMEOUT_MS: String(DECISION_TIMEOUT_MS),
      RADIUS_SOCKET_BUFFER_BYTES: String(1024 * 1024),
    },
    logger: createLogger('radius-gateway', { level: 'debug', destination: { write: (line: string) => void logLines.push(line) } }),
    bus,
    subjectPrefix: prefix,
    db,
    state,
    keyring,
    metrics: new Registry(),
  };
  const component = await radiusGateway.create(context);
  assert.ok(component instanceof RadiusGateway);
  gateway = component;
  assert.equal(gateway.ready(), false);
  await gateway.start();
  port = gateway.port();
});

after(async () => {
  await gateway?.stop();
  await bus?.drain();
  await state?.close();
  await db?.close();
  await database?.drop();
});

async function metricText(name: string): Promise<string> {
  return (await context.metrics.getSingleMetricAsString(name)) ?? '';
}

async function counterValue(name: string, labels = ''): Promise<number> {
  const text = await metricText(name);
  const escaped = labels.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^${name}${labels ? `\\{${escaped}\\}` : ''} (\\d+)$`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}

const auth = (username: keyof typeof PASSWORDS, extra: Partial<Parameters<typeof radclient>[0]> = {}) =>
  radclient({
    port,
    secret: MAIN_SECRET,
    attributes: { 'User-Name': username, 'User-Password': PASSWORDS[username], 'NAS-Identifier': 'fw-1' },
    ...extra,
  });

test('listens on an OS-assigned port and is ready', () => {
  assert.ok(port > 0);
  assert.equal(gateway.ready(), true);
  assert.ok(logLines.some((l) => l.includes('"radius gateway listening"')));
  assert.ok(logLines.some((l) => l.includes('socket buffers')));
});

test('accept: Access-Accept with Message-Authenticator first; the stand-in got the PAP password', async () => {
  const result = await auth('alice');
  assert.equal(result.code, 'Access-Accept', result.raw);
  assert.equal(result.attributeList[0]?.[0], 'Message-Authenticator');
  const call = calls.find((c) => c.username === 'alice')!;
  assert.equal(call.password, PASSWORDS.alice);
  assert.equal(call.nasIdentifier, 'fw-1');
  assert.deepEqual(call.client, { id: 'c-main', name: 'nas-main', address: '127.0.0.1', otpMode: 'append', passwordSources: ['entra'] });
  assert.equal(await counterValue('tollgate_radius_requests_total', 'client="nas-main",decision="accept",reason="ok"'), 1);
  assert.match(
    await metricText('tollgate_radius_request_duration_seconds'),
    /tollgate_radius_request_duration_seconds_count\{decision="accept"\} 1/,
  );
});

test('reply attributes: radclient -x, with its own FreeRADIUS dictionaries, prints each by name with its value', async () => {
  const result = await auth('policy');
  assert.equal(result.code, 'Access-Accept', result.raw);
  assert.equal(result.attributeList[0]?.[0], 'Message-Authenticator');
  assert.deepEqual(
    result.attributeList.slice(1),
    REPLY_ATTRIBUTES.map(({ name, printed }) => [name, printed]),
    result.raw,
  );
});

test('reject: Access-Reject with only the generic Reply-Message', async () => {
  const result = await auth('bob');
  assert.equal(result.code, 'Access-Reject', result.raw);
  assert.equal(result.attributeList[0]?.[0], 'Message-Authenticator');
  assert.deepEqual(
    result.attributeList.filter(([n]) => n === 'Reply-Message'),
    [['Reply-Message', 'Authentication failed']],
  );
  assert.equal(
    await counterValue('tollgate_radius_requests_total', 'client="nas-main",decision="reject",reason="entra.invalid_credentials"'),
    1,
  );
});

test('Status-Server is answered with Access-Accept and no bus call', async () => {
  const before = calls.length;
  const result = await radclient({ port, secret: MAIN_SECRET, code: 'status' });
  assert.equal(result.code, 'Access-Accept', result.raw);
  assert.equal(calls.length, before);
  assert.equal(await counterValue('tollgate_radius_status_server_total'), 1);
});

test('bad shared secret: silently dropped and counted', async () => {
  const before = calls.length;
  const result = await radclient({
    port,
    secret: 'not-the-secret',
    attributes: { 'User-Name': 'alice', 'User-Password': PASSWORDS.alice },
  });
  assert.equal(result.code, 'timeout', result.raw);
  assert.equal(calls.length, before);
  assert.equal(await counterValue('tollgate_radius_dropped_total', 'cause="bad_message_authenticator"'), 1);
});

test('missing Message-Authenticator: dropped for a client that requires it', async () => {
  const result = await auth('alice', { messageAuthenticator: false });
  assert.equal(result.code, 'timeout', result.raw);
  assert.equal(await counterValue('tollgate_radius_dropped_total', 'cause="missing_message_authenticator"'), 1);
});

test('unknown client (::1 is not configured): dropped and counted', async () => {
  const before = calls.length;
  const result = await auth('alice', { host: '::1' });
  assert.equal(result.code, 'timeout', result.raw);
  assert.equal(calls.length, before);
  assert.equal(await counterValue('tollgate_radius_dropped_total', 'cause="unknown_client"'), 1);
});

test('a client added with requireMessageAuthenticator=false is picked up on a config event and allowed without MA', async () => {
  await radiusClients.create(db, {
    id: 'c-legacy',
    name: 'nas-legacy',
    address: '::1/128',
    secretSealed: context.keyring.seal(LEGACY_SECRET, 'radius-client:c-legacy'),
    requireMessageAuthenticator: false,
  });
  const loadsBefore = logLines.filter((l) => l.includes('"radius clients loaded"')).length;
  publishConfigChanged(context, { kind: 'radius_clients' });
  for (let i = 0; i < 100 && logLines.filter((l) => l.includes('"radius clients loaded"')).length === loadsBefore; i++) await sleep(20);
  assert.ok(logLines.some((l) => l.includes('"radius clients loaded"') && l.includes('"clients":2')));

  const result = await radclient({
    host: '::1',
    port,
    secret: LEGACY_SECRET,
    messageAuthenticator: false,
    attributes: { 'User-Name': 'alice', 'User-Password': PASSWORDS.alice },
  });
  assert.equal(result.code, 'Access-Accept', result.raw);
  assert.equal(calls.at(-1)?.client.name, 'nas-legacy');
  // Present-but-wrong is still refused for an opted-out client.
  const forged = await radclient({
    host: '::1',
    port,
    secret: 'wrong',
    attributes: { 'User-Name': 'alice', 'User-Password': PASSWORDS.alice },
  });
  assert.equal(forged.code, 'timeout');
  assert.equal(await counterValue('tollgate_radius_dropped_total', 'cause="bad_message_authenticator"'), 2);
});

/** A UDP client that sends raw bytes and collects every answer. */
async function rawClient(): Promise<{
  socket: Socket;
  answers: Buffer[];
  send(packet: Buffer): Promise<void>;
  next(timeoutMs?: number): Promise<Buffer | null>;
}> {
  const socket = createSocket('udp4');
  const answers: Buffer[] = [];
  const waiters: Array<(b: Buffer) => void> = [];
  socket.on('message', (message) => {
    answers.push(message);
    waiters.shift()?.(message);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    socket,
    answers,
    send: (packet) => new Promise<void>((resolve, reject) => socket.send(packet, port, '127.0.0.1', (e) => (e ? reject(e) : resolve()))),
    next: (timeoutMs = 2000) =>
      new Promise<Buffer | null>((resolve) => {
        const timer = setTimeout(() => resolve(null), timeoutMs);
        waiters.push((b) => {
          clearTimeout(timer);
          resolve(b);
        });
      }),
  };
}

const rawRequest = (username: keyof typeof PASSWORDS, identifier: number) =>
  radius.encode({
    code: 'Access-Request',
    secret: MAIN_SECRET,
    identifier,
    attributes: [
      ['User-Name', username],
      ['User-Password', PASSWORDS[username]],
      ['Proxy-State', Buffer.from('ps-1')],
    ],
    add_message_authenticator: true,
  });

test('retransmission: answered from the cache with identical bytes, decided once', async () => {
  const client = await rawClient();
  try {
    const packet = rawRequest('carol', 17);
    const first = client.next();
    await client.send(packet);
    const answer1 = await first;
    assert.ok(answer1, 'first answer');
    assert.equal(radius.verify_response({ request: packet, response: Buffer.from(answer1), secret: MAIN_SECRET }), true);
    const decoded = radius.decode({ packet: answer1, secret: MAIN_SECRET });
    assert.equal(decoded.code, 'Access-Reject');
    assert.deepEqual(
      decoded.raw_attributes.filter(([t]) => t === 33).map(([, v]) => v.toString()),
      ['ps-1'],
    );

    const second = client.next();
    await client.send(packet);
    const answer2 = await second;
    assert.ok(answer2, 'second answer');
    assert.deepEqual(answer2, answer1);
    assert.equal(callsFor('carol'), 1);
    assert.equal(await counterValue('tollgate_radius_retransmits_total'), 1);
    assert.equal(
      await counterValue('tollgate_radius_requests_total', 'client="nas-main",decision="reject",reason="entra.invalid_credentials"'),
      2,
    );
  } finally {
    client.socket.close();
  }
});

test('retransmission while the first copy is being decided: dropped, not a new attempt', async () => {
  const client = await rawClient();
  try {
    const packet = rawRequest('hold', 18);
    const first = client.next();
    await client.send(packet);
    await sleep(100);
    await client.send(packet);
    assert.ok(await first);
    await sleep(200);
    assert.equal(client.answers.length, 1);
    assert.equal(callsFor('hold'), 1);
    assert.equal(await counterValue('tollgate_radius_dropped_total', 'cause="retransmit_in_flight"'), 1);
  } finally {
    client.socket.close();
  }
});

test('malformed datagrams and Accounting-Request on the auth port are dropped and counted', async () => {
  const client = await rawClient();
  try {
    await client.send(Buffer.from([1, 2, 0, 200, 1, 2, 3]));
    await client.send(
      radius.encode({
        code: 'Accounting-Request',
        secret: MAIN_SECRET,
        attributes: [
          ['User-Name', 'alice'],
          ['Acct-Status-Type', 'Start'],
        ],
      }),
    );
    assert.equal(await client.next(500), null);
    assert.equal(await counterValue('tollgate_radius_dropped_total', 'cause="malformed"'), 1);
    assert.equal(await counterValue('tollgate_radius_dropped_total', 'cause="unsupported_code"'), 1);
  } finally {
    client.socket.close();
  }
});

test('a 4096-octet datagram padded with Proxy-State is answered: the reject leaves out its Reply-Message', async () => {
  const client = await rawClient();
  try {
    const { packet, proxyStates } = encodeProxyStatePaddedRequest({
      secret: MAIN_SECRET,
      identifier: 40,
      attributes: [
        ['User-Name', 'z'],
        ['User-Password', 'pw123456'],
      ],
    });
    assert.equal(packet.length, 4096);
    const pending = client.next();
    await client.send(packet);
    const answer = await pending;
    assert.ok(answer, 'an answer came');
    assert.ok(answer.length <= 4096);
    assert.equal(radius.verify_response({ request: packet, response: Buffer.from(answer), secret: MAIN_SECRET }), true);
    const decoded = radius.decode({ packet: answer, secret: MAIN_SECRET });
    assert.equal(decoded.code, 'Access-Reject');
    assert.equal(decoded.attributes['Reply-Message'], undefined);
    assert.deepEqual(
      decoded.raw_attributes.filter(([t]) => t === 33).map(([, v]) => v),
      proxyStates,
    );
    // No marker left behind: the retransmission gets the same bytes at once.
    const again = client.next();
    await client.send(packet);
    assert.deepEqual(await again, answer);
    assert.equal(callsFor('z'), 1);
  } finally {
    client.socket.close();
  }
});

test('deadline: no decision in time -> Access-Reject within the deadline', async () => {
  const started = Date.now();
  const result = await auth('slow', { timeoutSec: 4 });
  const elapsed = Date.now() - started;
  assert.equal(result.code, 'Access-Reject', result.raw);
  assert.equal(result.attributes['Reply-Message'], 'Authentication failed');
  assert.ok(elapsed >= DECISION_TIMEOUT_MS - 50, `answered after ${elapsed} ms`);
  assert.ok(elapsed < DECISION_TIMEOUT_MS + 600, `answered after ${elapsed} ms`);
  assert.equal(await counterValue('tollgate_radius_requests_total', 'client="nas-main",decision="reject",reason="timeout"'), 1);
});

test('logs: one line per decision with requestId, client, decision, reason; no password anywhere', () => {
  const decisions = logLines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'radius decision');
  assert.equal(decisions.length, calls.length);
  for (const line of decisions) {
    assert.equal(typeof line.requestId, 'string');
    assert.ok(['nas-main', 'nas-legacy'].includes(line.client));
    assert.ok(['accept', 'reject'].includes(line.decision));
    assert.equal(typeof line.reason, 'string');
  }
  assert.deepEqual(new Set(decisions.map((l) => l.requestId)).size, decisions.length);
  const all = logLines.join('\n');
  for (const secret of [...Object.values(PASSWORDS), MAIN_SECRET, LEGACY_SECRET])
    assert.ok(!all.includes(secret), 'a secret reached the log');
});

test('a second gateway on the same port fails to start and leaves nothing running', async () => {
  const other = await radiusGateway.create({ ...context, env: { ...context.env, RADIUS_AUTH_PORT: String(port) } });
  await assert.rejects(other.start(), (error: unknown) => (error as NodeJS.ErrnoException).code === 'EADDRINUSE');
  assert.equal(other.ready?.(), false);
});

test('stop: a request in hand is still answered, then the socket closes', async () => {
  const client = await rawClient();
  try {
    const answer = client.next(3000);
    await client.send(rawRequest('hold', 99));
    await sleep(50);
    await gateway.stop();
    assert.ok(await answer, 'the in-flight request was answered before the socket closed');
    assert.equal(gateway.ready(), false);
    const late = client.next(300);
    await client.send(rawRequest('carol', 100));
    assert.equal(await late, null);
  } finally {
    client.socket.close();
  }
});
