/** The per-datagram pipeline without sockets: decisions, generic rejects, drops, retransmissions, failing stores. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { radiusPackage as radius } from '@tollgate/testkit';
import { Registry } from 'prom-client';
import type { DecideRequest } from '@tollgate/contracts';
import { createLogger } from '@tollgate/logging';
import { MemoryStateStore, type StateStore } from '@tollgate/state';
import { ClientTable } from './client-table.js';
import { registerGatewayMetrics } from './gateway-metrics.js';
import { GENERIC_REJECT_MESSAGE, PacketHandler } from './packet-handler.js';
import type { Decision } from './request-decision.js';
import { RetransmitCache } from './retransmit-cache.js';

const SECRET = 'handler-secret';
const PASSWORD = 'Sup3r-Secret-Pa55-987654';

function setup(options: { store?: StateStore; decide?: (r: DecideRequest, timeoutMs: number) => Promise<Decision>; decisionTimeoutMs?: number } = {}) {
  const lines: string[] = [];
  const logger = createLogger('radius-gateway', { level: 'debug', destination: { write: (line: string) => void lines.push(line) } });
  const registry = new Registry();
  const calls: DecideRequest[] = [];
  const timeouts: number[] = [];
  const handler = new PacketHandler({
    clients: new ClientTable([
      { id: 'c1', name: 'vpn', address: '192.0.2.0/24', secret: Buffer.from(SECRET), requireMessageAuthenticator: true },
    ]),
    cache: new RetransmitCache(options.store ?? new MemoryStateStore(), { windowMs: 30_000, pendingTtlMs: 5_000 }),
    decide: async (request, timeoutMs) => {
      calls.push(request);
      timeouts.push(timeoutMs);
      return options.decide ? options.decide(request, timeoutMs) : { decision: 'accept', reason: 'ok' };
    },
    metrics: registerGatewayMetrics(registry),
    logger,
    decisionTimeoutMs: options.decisionTimeoutMs ?? 1000,
  });
  return { handler, lines, registry, calls, timeouts };
}

const source = { address: '::ffff:192.0.2.10', port: 50000 };
const accessRequest = (attributes: Array<[string, unknown]>, identifier = 1) =>
  radius.encode({ code: 'Access-Request', secret: SECRET, identifier, attributes, add_message_authenticator: true });
const papRequest = (user = 'alice') => accessRequest([['User-Name', user], ['User-Password', PASSWORD], ['NAS-Identifier', 'fw1']]);

async function metric(registry: Registry, name: string): Promise<string> {
  return (await registry.getSingleMetricAsString(name)) ?? '';
}

test('handler: a PAP request is decided on the bus and answered, the password never logged', async () => {
  const { handler, lines, registry, calls } = setup();
  const request = papRequest();
  const response = await handler.handle(request, source);
  assert.ok(response);
  assert.equal(radius.verify_response({ request, response, secret: SECRET }), true);
  assert.equal(radius.decode({ packet: response, secret: SECRET }).code, 'Access-Accept');
  assert.equal(calls.length, 1);
  assert.equal(calls[0]!.username, 'alice');
  assert.equal(calls[0]!.password, PASSWORD);
  assert.equal(calls[0]!.nasIdentifier, 'fw1');
  assert.deepEqual(calls[0]!.client, { id: 'c1', name: 'vpn', address: '192.0.2.0/24' });
  const decisionLine = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'radius decision');
  assert.equal(decisionLine.requestId, calls[0]!.requestId);
  assert.equal(decisionLine.client, 'vpn');
  assert.equal(decisionLine.decision, 'accept');
  assert.equal(decisionLine.reason, 'ok');
  assert.ok(!lines.join('').includes(PASSWORD));
  assert.match(await metric(registry, 'tollgate_radius_requests_total'), /client="vpn",decision="accept",reason="ok"} 1/);
});

test('handler: a reject carries only the generic Reply-Message', async () => {
  const { handler } = setup({ decide: async () => ({ decision: 'reject', reason: 'entra.invalid_credentials' }) });
  const response = await handler.handle(papRequest(), source);
  const decoded = radius.decode({ packet: response!, secret: SECRET });
  assert.equal(decoded.code, 'Access-Reject');
  assert.equal(decoded.attributes['Reply-Message'], GENERIC_REJECT_MESSAGE);
});

const notPap: Array<[string, Array<[string, unknown]>]> = [
  ['CHAP', [['User-Name', 'alice'], ['CHAP-Password', Buffer.alloc(17, 1)]]],
  ['EAP', [['User-Name', 'alice'], ['EAP-Message', Buffer.from([2, 1, 0, 5, 1])]]],
  ['no password', [['User-Name', 'alice']]],
  ['no User-Name', [['User-Password', PASSWORD]]],
];
for (const [name, attributes] of notPap) {
  test(`handler: ${name} is rejected as request.malformed without asking the bus`, async () => {
    const { handler, registry, calls } = setup();
    const response = await handler.handle(accessRequest(attributes), source);
    assert.equal(radius.decode({ packet: response!, secret: SECRET }).code, 'Access-Reject');
    assert.equal(calls.length, 0);
    assert.match(await metric(registry, 'tollgate_radius_requests_total'), /decision="reject",reason="request.malformed"} 1/);
  });
}

test('handler: drops are silent and counted by cause', async () => {
  const { handler, registry } = setup();
  assert.equal(await handler.handle(papRequest(), { address: '198.51.100.1', port: 1 }), null);
  assert.equal(await handler.handle(Buffer.from([1, 2, 3]), source), null);
  const wrongSecret = radius.encode({ code: 'Access-Request', secret: 'nope', attributes: [['User-Name', 'a']], add_message_authenticator: true });
  assert.equal(await handler.handle(wrongSecret, source), null);
  const noMa = radius.encode({ code: 'Access-Request', secret: SECRET, attributes: [['User-Name', 'a']], add_message_authenticator: false });
  assert.equal(await handler.handle(noMa, source), null);
  const accounting = radius.encode({ code: 'Accounting-Request', secret: SECRET, attributes: [['User-Name', 'a']] });
  assert.equal(await handler.handle(accounting, source), null);
  const text = await metric(registry, 'tollgate_radius_dropped_total');
  for (const cause of ['unknown_client', 'malformed', 'bad_message_authenticator', 'missing_message_authenticator', 'unsupported_code']) {
    assert.match(text, new RegExp(`cause="${cause}"} 1`));
  }
});

test('handler: a retransmission while pending is dropped, after the answer it gets the same bytes', async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const { handler, registry, calls } = setup({
    decide: async () => {
      await gate;
      return { decision: 'reject', reason: 'otp.invalid' };
    },
  });
  const request = papRequest();
  const first = handler.handle(request, source);
  await new Promise((r) => setImmediate(r));
  const duplicate = handler.handle(request, source);
  release();
  assert.equal(await duplicate, null);
  const answer = await first;
  const again = await handler.handle(request, source);
  assert.deepEqual(again, answer);
  assert.equal(calls.length, 1);
  assert.match(await metric(registry, 'tollgate_radius_dropped_total'), /cause="retransmit_in_flight"} 1/);
  assert.match(await metric(registry, 'tollgate_radius_retransmits_total'), /tollgate_radius_retransmits_total 1/);
  // Same identifier and authenticator from another port is another request (RFC 5080 key).
  await handler.handle(request, { ...source, port: source.port + 1 });
  assert.equal(calls.length, 2);
});

test('handler: a failing state store does not lose the request', async () => {
  const failing = {
    async setIfAbsent() {
      throw new Error('down');
    },
    async get() {
      throw new Error('down');
    },
    async set() {
      throw new Error('down');
    },
  } as unknown as StateStore;
  const { handler, lines, calls } = setup({ store: failing });
  const response = await handler.handle(papRequest(), source);
  assert.equal(radius.decode({ packet: response!, secret: SECRET }).code, 'Access-Accept');
  assert.equal(calls.length, 1);
  assert.ok(lines.some((l) => l.includes('state store unavailable')));
});

test('handler: a stalled state store costs time out of the decision deadline, never more than the deadline', async () => {
  // Like Redis stalled: each call waits all the time it is given, then fails with state_timeout.
  const given: number[] = [];
  const stalled = (_k?: unknown, _v?: unknown, _t?: unknown, options?: { timeoutMs?: number }) =>
    new Promise<never>((_, reject) => {
      const ms = options?.timeoutMs ?? 60_000;
      given.push(ms);
      setTimeout(() => reject(Object.assign(new Error('no answer'), { code: 'state_timeout' })), ms);
    });
  const store = { setIfAbsent: stalled, set: stalled, get: (_k: unknown, o?: { timeoutMs?: number }) => stalled(0, 0, 0, o) } as unknown as StateStore;
  const deadline = 300;
  const { handler, timeouts } = setup({
    store,
    decisionTimeoutMs: deadline,
    // The decider uses its whole budget (a slow verifier), then rejects.
    decide: (_r, timeoutMs) => new Promise((resolve) => setTimeout(() => resolve({ decision: 'reject', reason: 'timeout' }), timeoutMs)),
  });
  const started = performance.now();
  const response = await handler.handle(papRequest(), source);
  const took = performance.now() - started;
  assert.equal(radius.decode({ packet: response!, secret: SECRET }).code, 'Access-Reject');
  assert.ok(took < deadline + 60, `answered after ${took} ms (deadline ${deadline} ms)`);
  assert.ok(given[0]! <= deadline, `the claim was given ${given[0]} ms`);
  assert.ok(timeouts[0]! <= deadline - given[0]! + 5, `the decision got ${timeouts[0]} ms after the store took ${given[0]} ms`);
});

test('handler: a decider that throws yields Access-Reject (fail closed)', async () => {
  const { handler, registry } = setup({
    decide: async () => {
      throw new Error('bug');
    },
  });
  const response = await handler.handle(papRequest(), source);
  assert.equal(radius.decode({ packet: response!, secret: SECRET }).code, 'Access-Reject');
  assert.match(await metric(registry, 'tollgate_radius_requests_total'), /reason="internal_error"} 1/);
});

test('handler: Status-Server is answered without the bus', async () => {
  const { handler, registry, calls } = setup();
  const request = radius.encode({ code: 'Status-Server', secret: SECRET, identifier: 9, attributes: [] });
  const response = await handler.handle(request, source);
  assert.equal(radius.verify_response({ request, response: response!, secret: SECRET }), true);
  assert.equal(radius.decode({ packet: response!, secret: SECRET }).code, 'Access-Accept');
  assert.equal(calls.length, 0);
  assert.match(await metric(registry, 'tollgate_radius_status_server_total'), /tollgate_radius_status_server_total 1/);
});
