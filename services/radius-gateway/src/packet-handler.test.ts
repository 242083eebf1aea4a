/** The per-datagram pipeline without sockets: decisions, generic rejects, drops, retransmissions, failing stores. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeProxyStatePaddedRequest, radiusPackage as radius } from '@tollgate/testkit';
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

function setup(
  options: { store?: StateStore; decide?: (r: DecideRequest, timeoutMs: number) => Promise<Decision>; decisionTimeoutMs?: number } = {},
) {
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
const papRequest = (user = 'alice') =>
  accessRequest([
    ['User-Name', user],
    ['User-Password', PASSWORD],
    ['NAS-Identifier', 'fw1'],
  ]);

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
  assert.deepEqual(calls[0]!.client, { id: 'c1', name: 'vpn', address: '192.0.2.0/24', otpMode: 'append' });
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

test('handler: a challenge is answered with Access-Challenge, its prompt and State; the follow-up brings the State back as hex', async () => {
  const state = 'a5'.repeat(32);
  const { handler, calls, registry } = setup({
    decide: async (request) =>
      request.state === undefined
        ? { decision: 'challenge', reason: 'challenge.issued', state, replyMessage: 'Enter the code from your authenticator app' }
        : { decision: 'accept', reason: 'ok' },
  });
  const first = accessRequest([
    ['User-Name', 'alice'],
    ['User-Password', 'Only-The-Password'],
    ['Proxy-State', Buffer.from('px')],
  ]);
  const challenge = await handler.handle(first, source);
  assert.ok(challenge);
  assert.equal(radius.verify_response({ request: first, response: challenge, secret: SECRET }), true);
  const decoded = radius.decode({ packet: challenge, secret: SECRET });
  assert.equal(decoded.code, 'Access-Challenge');
  assert.equal(decoded.raw_attributes[0]![0], 80, 'Message-Authenticator first');
  assert.equal(decoded.attributes['Reply-Message'], 'Enter the code from your authenticator app');
  assert.deepEqual(decoded.raw_attributes.find(([type]) => type === 24)?.[1], Buffer.from(state, 'hex'));
  assert.deepEqual(decoded.raw_attributes.find(([type]) => type === 33)?.[1], Buffer.from('px'), 'Proxy-State echoed');
  assert.equal(calls[0]!.state, undefined);

  const followUp = accessRequest(
    [
      ['User-Name', 'alice'],
      ['User-Password', '123456'],
      ['State', Buffer.from(state, 'hex')],
    ],
    2,
  );
  const accept = await handler.handle(followUp, source);
  assert.equal(radius.decode({ packet: accept!, secret: SECRET }).code, 'Access-Accept');
  assert.equal(calls[1]!.state, state);
  assert.match(await metric(registry, 'tollgate_radius_requests_total'), /decision="challenge",reason="challenge.issued"} 1/);
});

test("handler: the client's otpMode goes with every decision request", async () => {
  const calls: DecideRequest[] = [];
  const handler = new PacketHandler({
    clients: new ClientTable([
      { id: 'c2', name: 'asa', address: '192.0.2.0/24', secret: Buffer.from(SECRET), requireMessageAuthenticator: true, otpMode: 'auto' },
    ]),
    cache: new RetransmitCache(new MemoryStateStore(), { windowMs: 30_000, pendingTtlMs: 5_000 }),
    decide: async (request) => {
      calls.push(request);
      return { decision: 'reject', reason: 'otp.invalid' };
    },
    metrics: registerGatewayMetrics(new Registry()),
    logger: createLogger('radius-gateway', { level: 'silent' }),
    decisionTimeoutMs: 1000,
  });
  await handler.handle(papRequest(), source);
  assert.equal(calls[0]!.client.otpMode, 'auto');
});

const notPap: Array<[string, Array<[string, unknown]>]> = [
  [
    'CHAP',
    [
      ['User-Name', 'alice'],
      ['CHAP-Password', Buffer.alloc(17, 1)],
    ],
  ],
  [
    'EAP',
    [
      ['User-Name', 'alice'],
      ['EAP-Message', Buffer.from([2, 1, 0, 5, 1])],
    ],
  ],
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
  const wrongSecret = radius.encode({
    code: 'Access-Request',
    secret: 'nope',
    attributes: [['User-Name', 'a']],
    add_message_authenticator: true,
  });
  assert.equal(await handler.handle(wrongSecret, source), null);
  const noMa = radius.encode({
    code: 'Access-Request',
    secret: SECRET,
    attributes: [['User-Name', 'a']],
    add_message_authenticator: false,
  });
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
  const store = {
    setIfAbsent: stalled,
    set: stalled,
    get: (_k: unknown, o?: { timeoutMs?: number }) => stalled(0, 0, 0, o),
  } as unknown as StateStore;
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

test('handler: a 4096-octet request padded with Proxy-State gets its reject, without the Reply-Message', async () => {
  const { handler, calls } = setup({ decide: async () => ({ decision: 'reject', reason: 'otp.invalid' }) });
  // A one-letter name and a one-block password leave the request's own attributes shorter than
  // Message-Authenticator plus the Reply-Message, so the full reject would pass 4096 octets.
  const { packet, proxyStates } = encodeProxyStatePaddedRequest({
    secret: SECRET,
    identifier: 3,
    attributes: [
      ['User-Name', 'a'],
      ['User-Password', 'pw123456'],
    ],
  });
  const response = await handler.handle(packet, source);
  assert.ok(response, 'the request is answered');
  assert.ok(response.length <= 4096);
  assert.equal(radius.verify_response({ request: packet, response, secret: SECRET }), true);
  const decoded = radius.decode({ packet: response, secret: SECRET });
  assert.equal(decoded.code, 'Access-Reject');
  assert.equal(decoded.attributes['Reply-Message'], undefined);
  assert.deepEqual(
    decoded.raw_attributes.filter(([type]) => type === 33).map(([, v]) => v),
    proxyStates,
  );
  // The answer replaced the in-flight marker: a retransmission gets the same bytes, no new decision.
  assert.deepEqual(await handler.handle(packet, source), response);
  assert.equal(calls.length, 1);
});

test('handler: the request key is the same for every copy the cache can see, and new after a restart of a memory cache', async () => {
  const request = papRequest('keyed');
  // Process memory: a restart (a new handler and cache) forgets the request, so its key is new
  // and the replay guard cannot let the replayed copy re-claim its step.
  const before = setup({ decide: async () => ({ decision: 'reject', reason: 'otp.invalid' }) });
  await before.handler.handle(request, source);
  const restarted = setup({ decide: async () => ({ decision: 'reject', reason: 'otp.invalid' }) });
  await restarted.handler.handle(request, source);
  assert.match(before.calls[0]!.requestKey!, /^[0-9a-f]{32}$/);
  assert.notEqual(restarted.calls[0]!.requestKey, before.calls[0]!.requestKey);
  // A shared store outlives the process: every gateway names the request alike (a replica that
  // takes over re-runs it with the key the dead one used).
  const shared = () => Object.assign(new MemoryStateStore(), { kind: 'redis' as const });
  const one = setup({ store: shared(), decide: async () => ({ decision: 'reject', reason: 'otp.invalid' }) });
  const two = setup({ store: shared(), decide: async () => ({ decision: 'reject', reason: 'otp.invalid' }) });
  await one.handler.handle(request, source);
  await two.handler.handle(request, source);
  assert.equal(one.calls[0]!.requestKey, two.calls[0]!.requestKey);
  // Another source port is another request either way.
  await two.handler.handle(request, { ...source, port: source.port + 1 });
  assert.notEqual(two.calls[1]!.requestKey, two.calls[0]!.requestKey);
});

const badText: Array<[string, Array<[string, unknown]>, string, string]> = [
  [
    'a NUL in User-Name',
    [
      ['User-Name', Buffer.from('mallory\0@contoso.com')],
      ['User-Password', PASSWORD],
    ],
    'User-Name',
    'control_character',
  ],
  [
    'invalid UTF-8 in User-Name',
    [
      ['User-Name', Buffer.from([0x6d, 0xe4, 0x6c])],
      ['User-Password', PASSWORD],
    ],
    'User-Name',
    'invalid_utf8',
  ],
  [
    'a NUL in Calling-Station-Id',
    [
      ['User-Name', 'alice'],
      ['User-Password', PASSWORD],
      ['Calling-Station-Id', Buffer.from('mallory\0')],
    ],
    'Calling-Station-Id',
    'control_character',
  ],
  [
    'a line feed in NAS-Identifier',
    [
      ['User-Name', 'alice'],
      ['User-Password', PASSWORD],
      ['NAS-Identifier', Buffer.from('mallory\n')],
    ],
    'NAS-Identifier',
    'control_character',
  ],
];
for (const [name, attributes, attribute, problem] of badText) {
  test(`handler: ${name} is an Access-Reject (request.malformed), counted and logged without the value`, async () => {
    const { handler, registry, calls, lines } = setup();
    const request = accessRequest(attributes);
    const response = await handler.handle(request, source);
    assert.ok(response, 'answered, not dropped');
    assert.equal(radius.verify_response({ request, response, secret: SECRET }), true);
    assert.equal(radius.decode({ packet: response, secret: SECRET }).code, 'Access-Reject');
    assert.equal(calls.length, 0, 'the bus was not asked');
    assert.match(await metric(registry, 'tollgate_radius_requests_total'), /client="vpn",decision="reject",reason="request.malformed"} 1/);
    assert.match(
      await metric(registry, 'tollgate_radius_invalid_attributes_total'),
      new RegExp(`attribute="${attribute}",problem="${problem}"} 1`),
    );
    const refused = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'radius request refused: invalid text attribute');
    assert.equal(refused.attribute, attribute);
    assert.equal(refused.problem, problem);
    assert.equal(typeof refused.octets, 'number');
    assert.ok(!lines.join('\n').includes('mallory'), 'the bad value is not logged');
    assert.ok(!lines.join('\n').includes('\\u0000'), 'no NUL in any log line');
    // A retransmission gets the same reject from the cache.
    assert.deepEqual(await handler.handle(request, source), response);
  });
}

test('handler: a bad request among good ones concurrently fails alone', async () => {
  const { handler, calls } = setup();
  const requests = [
    papRequest('a1'),
    accessRequest(
      [
        ['User-Name', Buffer.from('x\0y')],
        ['User-Password', PASSWORD],
      ],
      2,
    ),
    papRequest('a2'),
  ];
  const codes = await Promise.all(
    requests.map(
      async (r, i) => radius.decode({ packet: (await handler.handle(r, { ...source, port: 40000 + i }))!, secret: SECRET }).code,
    ),
  );
  assert.deepEqual(codes, ['Access-Accept', 'Access-Reject', 'Access-Accept']);
  assert.deepEqual(calls.map((c) => c.username).sort(), ['a1', 'a2']);
});

test('handler: an accept carries the decision’s reply attributes; one the dictionary refuses is left out and counted', async () => {
  const { handler, lines, registry } = setup({
    decide: async () => ({
      decision: 'accept',
      reason: 'ok',
      replyAttributes: [
        { name: 'Filter-Id', value: 'staff' },
        { name: 'No-Such-Attribute', value: 'x' },
        { name: 'Fortinet-Group-Name', value: 'vpn-admins' },
        { name: 'Session-Timeout', value: 'an hour' },
      ],
    }),
  });
  const request = papRequest();
  const response = await handler.handle(request, source);
  assert.ok(response);
  assert.equal(radius.verify_response({ request, response, secret: SECRET }), true);
  const decoded = radius.decode({ packet: response, secret: SECRET });
  assert.equal(decoded.code, 'Access-Accept');
  assert.deepEqual(
    decoded.raw_attributes.map(([type]) => type),
    [80, 11, 26],
  );
  assert.equal(decoded.attributes['Filter-Id'], 'staff');
  assert.ok(response.includes(Buffer.concat([Buffer.from([26, 18, 0, 0, 0x30, 0x44, 1, 12]), Buffer.from('vpn-admins')])));
  const counted = await metric(registry, 'tollgate_radius_reply_attributes_dropped_total');
  assert.match(counted, /problem="unknown_attribute"} 1/);
  assert.match(counted, /problem="wrong_type"} 1/);
  const warning = lines.map((l) => JSON.parse(l)).find((l) => /reply attributes left out/.test(l.msg));
  assert.deepEqual(warning.dropped, [
    { name: 'No-Such-Attribute', problem: 'unknown_attribute' },
    { name: 'Session-Timeout', problem: 'wrong_type' },
  ]);
});

for (const reason of ['ok', 'ok.exempt'] as const) {
  test(`handler: an accept (${reason}) whose reply attributes do not fit becomes a reject (policy.reply_too_large), never a bare accept`, async () => {
    const replyAttributes = Array.from({ length: 17 }, (_, i) => ({ name: 'Cisco-AVPair', value: `${i}=${'x'.repeat(240)}` }));
    const { handler, registry } = setup({ decide: async () => ({ decision: 'accept', reason, replyAttributes }) });
    const request = papRequest();
    const response = await handler.handle(request, source);
    assert.ok(response);
    assert.equal(radius.verify_response({ request, response, secret: SECRET }), true);
    const decoded = radius.decode({ packet: response, secret: SECRET });
    assert.equal(decoded.code, 'Access-Reject');
    assert.equal(decoded.attributes['Reply-Message'], GENERIC_REJECT_MESSAGE);
    assert.match(await metric(registry, 'tollgate_radius_requests_total'), /decision="reject",reason="policy.reply_too_large"} 1/);
  });
}

test('handler: a reject never carries reply attributes', async () => {
  const { handler } = setup({
    decide: async () => ({ decision: 'reject', reason: 'otp.invalid', replyAttributes: [{ name: 'Filter-Id', value: 'staff' }] }),
  });
  const response = await handler.handle(papRequest(), source);
  assert.ok(response);
  const decoded = radius.decode({ packet: response, secret: SECRET });
  assert.equal(decoded.code, 'Access-Reject');
  assert.equal(decoded.attributes['Filter-Id'], undefined);
});
