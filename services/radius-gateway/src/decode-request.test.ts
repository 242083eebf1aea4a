/** Access-Request / Status-Server decoding and Message-Authenticator policy, checked against packets built by the `radius` package. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { encodeUserPassword, radiusPackage as radius } from '@tollgate/testkit';
import type { DecodeOutcome, RadiusRequest, TextAttributeName } from './decode-request.js';
import { decodeDatagram } from './testing/decoder-properties.js';
import type { TextProblem } from './text-attribute.js';

/** Requests are built with the `radius` package, an implementation independent of ours. */
const SECRET = 'testing123';
const secret = Buffer.from(SECRET);

type Attrs = Array<[string, unknown]>;
const build = (attributes: Attrs, options: { ma?: boolean; code?: string; secret?: string } = {}): Buffer =>
  radius.encode({
    code: options.code ?? 'Access-Request',
    secret: options.secret ?? SECRET,
    identifier: 42,
    attributes: attributes.map(([k, v]) => [k, v] as [string, unknown]),
    add_message_authenticator: options.ma ?? true,
  });

const pap: Attrs = [
  ['User-Name', 'alice@contoso.com'],
  ['User-Password', 'Secret-Pass123456'],
];

/** Flips one octet of the last attribute's value (after the MA was computed). */
function tamperLastOctet(packet: Buffer): Buffer {
  const copy = Buffer.from(packet);
  copy[copy.length - 1]! ^= 0x01;
  return copy;
}

/** Puts a second, valid-looking Message-Authenticator attribute at the end. */
function withSecondMa(packet: Buffer): Buffer {
  const extra = Buffer.concat([Buffer.from([80, 18]), Buffer.alloc(16)]);
  const copy = Buffer.concat([packet, extra]);
  copy.writeUInt16BE(copy.length, 2);
  return copy;
}

/** Builds an Access-Request by hand with a 4-octet Message-Authenticator. */
function shortMa(): Buffer {
  const body = Buffer.concat([Buffer.from([1, 7, 0, 0]), Buffer.alloc(16, 9), Buffer.from([80, 6, 1, 2, 3, 4])]);
  body.writeUInt16BE(body.length, 2);
  return body;
}

/** A valid request whose Message-Authenticator is the FIRST attribute (some NAS do that). */
function maFirst(): Buffer {
  const user = Buffer.from('alice');
  const packet = Buffer.concat([
    Buffer.from([1, 9, 0, 0]),
    Buffer.alloc(16, 3),
    Buffer.from([80, 18]),
    Buffer.alloc(16),
    Buffer.from([1, 2 + user.length]),
    user,
  ]);
  packet.writeUInt16BE(packet.length, 2);
  createHmac('md5', secret).update(packet).digest().copy(packet, 22);
  return packet;
}

const cases: Array<{ name: string; packet: () => Buffer; require?: boolean; outcome: DecodeOutcome }> = [
  { name: 'PAP with Message-Authenticator', packet: () => build(pap), outcome: 'ok' },
  { name: 'Message-Authenticator first', packet: maFirst, outcome: 'ok' },
  { name: 'wrong shared secret', packet: () => build(pap, { secret: 'other-secret' }), outcome: 'bad_message_authenticator' },
  {
    name: 'attribute changed after signing',
    packet: () => tamperLastOctet(build([...pap, ['NAS-Identifier', 'vpn1']])),
    outcome: 'bad_message_authenticator',
  },
  { name: 'no Message-Authenticator, required', packet: () => build(pap, { ma: false }), outcome: 'missing_message_authenticator' },
  { name: 'no Message-Authenticator, client opted out', packet: () => build(pap, { ma: false }), require: false, outcome: 'ok' },
  {
    name: 'Proxy-State without MA, required',
    packet: () => build([...pap, ['Proxy-State', Buffer.from('p1')]], { ma: false }),
    outcome: 'proxy_state_without_ma',
  },
  {
    name: 'Proxy-State without MA, opted out',
    packet: () => build([...pap, ['Proxy-State', Buffer.from('p1')]], { ma: false }),
    require: false,
    outcome: 'proxy_state_without_ma',
  },
  { name: 'Proxy-State with MA', packet: () => build([...pap, ['Proxy-State', Buffer.from('p1')]]), outcome: 'ok' },
  { name: 'Status-Server with MA', packet: () => build([], { code: 'Status-Server' }), outcome: 'ok' },
  {
    name: 'Status-Server without MA even when opted out',
    packet: () => build([], { code: 'Status-Server', ma: false }),
    require: false,
    outcome: 'missing_message_authenticator',
  },
  {
    name: 'Status-Server with a wrong secret',
    packet: () => build([], { code: 'Status-Server', secret: 'nope' }),
    outcome: 'bad_message_authenticator',
  },
  {
    name: 'Accounting-Request on the auth port',
    packet: () => build([['User-Name', 'a']], { code: 'Accounting-Request' }),
    outcome: 'unsupported_code',
  },
  {
    name: 'Access-Accept sent to us',
    packet: () => Buffer.concat([Buffer.from([2, 1, 0, 20]), Buffer.alloc(16)]),
    outcome: 'unsupported_code',
  },
  { name: 'two Message-Authenticators', packet: () => withSecondMa(build(pap)), outcome: 'malformed' },
  { name: 'Message-Authenticator of 4 octets', packet: shortMa, outcome: 'malformed' },
  { name: 'shorter than a header', packet: () => Buffer.from([1, 2, 0, 19, 0, 0]), outcome: 'malformed' },
  {
    name: 'length field past the datagram',
    packet: () => Buffer.concat([Buffer.from([1, 2, 0, 40]), Buffer.alloc(16)]),
    outcome: 'malformed',
  },
  { name: 'length field under 20', packet: () => Buffer.concat([Buffer.from([1, 2, 0, 4]), Buffer.alloc(16)]), outcome: 'malformed' },
  {
    name: 'length field over 4096',
    packet: () => Buffer.concat([Buffer.from([1, 2, 0x10, 0x01]), Buffer.alloc(4100)]),
    outcome: 'malformed',
  },
  {
    name: 'attribute of length 1',
    packet: () => Buffer.concat([Buffer.from([1, 2, 0, 22]), Buffer.alloc(16), Buffer.from([1, 1])]),
    outcome: 'malformed',
  },
  {
    name: 'attribute running past the packet',
    packet: () => Buffer.concat([Buffer.from([1, 2, 0, 23]), Buffer.alloc(16), Buffer.from([1, 9, 65])]),
    outcome: 'malformed',
  },
  { name: 'padding after the Length field is ignored', packet: () => Buffer.concat([build(pap), Buffer.alloc(7, 0xee)]), outcome: 'ok' },
];

for (const c of cases) {
  test(`decode: ${c.name} -> ${c.outcome}`, () => {
    const result = decodeDatagram(c.packet(), secret, { requireMessageAuthenticator: c.require ?? true });
    assert.equal(result.outcome, c.outcome);
  });
}

test('decode: fields of a PAP request', () => {
  const packet = build([
    ...pap,
    ['NAS-Identifier', 'vpn-gw-1'],
    ['Calling-Station-Id', '198.51.100.7'],
    ['Proxy-State', Buffer.from('first')],
    ['Proxy-State', Buffer.from('second')],
  ]);
  const result = decodeDatagram(packet, secret, { requireMessageAuthenticator: true });
  assert.equal(result.outcome, 'ok');
  if (result.outcome !== 'ok') return;
  const r = result.request;
  assert.equal(r.kind, 'access');
  assert.equal(r.identifier, 42);
  assert.deepEqual(r.authenticator, packet.subarray(4, 20));
  assert.equal(r.userName, 'alice@contoso.com');
  assert.equal(r.authentication, 'pap');
  assert.equal(r.password, 'Secret-Pass123456');
  assert.equal(r.nasIdentifier, 'vpn-gw-1');
  assert.equal(r.callingStationId, '198.51.100.7');
  assert.deepEqual(r.proxyStates.map(String), ['first', 'second']);
});

test('decode: the State of a follow-up to an Access-Challenge is kept as sent; two States or an empty one are malformed', () => {
  const state = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
  const result = decodeDatagram(build([...pap, ['State', state]]), secret, { requireMessageAuthenticator: true });
  assert.equal(result.outcome, 'ok');
  if (result.outcome === 'ok') assert.deepEqual(result.request.state, state);
  const plain = decodeDatagram(build(pap), secret, { requireMessageAuthenticator: true });
  assert.equal(plain.outcome === 'ok' && plain.request.state, undefined);
  const twice = decodeDatagram(build([...pap, ['State', state], ['State', state]]), secret, { requireMessageAuthenticator: true });
  assert.equal(twice.outcome, 'malformed');
  const emptyState = Buffer.concat([build(pap, { ma: false }), Buffer.from([24, 2])]);
  emptyState.writeUInt16BE(emptyState.length, 2);
  assert.equal(decodeDatagram(emptyState, secret, { requireMessageAuthenticator: false }).outcome, 'malformed');
});

const kinds: Array<{ name: string; attributes: Attrs; kind: string; password?: string }> = [
  { name: 'PAP', attributes: pap, kind: 'pap', password: 'Secret-Pass123456' },
  {
    name: 'CHAP',
    attributes: [
      ['User-Name', 'bob'],
      ['CHAP-Password', Buffer.alloc(17, 1)],
    ],
    kind: 'chap',
  },
  {
    name: 'EAP',
    attributes: [
      ['User-Name', 'bob'],
      ['EAP-Message', Buffer.from([2, 1, 0, 5, 1])],
    ],
    kind: 'eap',
  },
  { name: 'no password at all', attributes: [['User-Name', 'bob']], kind: 'none' },
  { name: 'PAP and CHAP together', attributes: [...pap, ['CHAP-Password', Buffer.alloc(17, 1)]], kind: 'invalid_pap' },
];
for (const c of kinds) {
  test(`decode: authentication of ${c.name} is ${c.kind}`, () => {
    const result = decodeDatagram(build(c.attributes), secret, { requireMessageAuthenticator: true });
    assert.equal(result.outcome, 'ok');
    if (result.outcome !== 'ok') return;
    assert.equal(result.request.authentication, c.kind);
    assert.equal(result.request.password, c.password);
  });
}

test('decode: a User-Password whose length is not a multiple of 16 is invalid_pap, not an exception', () => {
  const user = Buffer.from('bob');
  const packet = Buffer.concat([
    Buffer.from([1, 3, 0, 0]),
    Buffer.alloc(16, 5),
    Buffer.from([1, 5]),
    user,
    Buffer.from([2, 19]),
    Buffer.alloc(17, 7),
  ]);
  packet.writeUInt16BE(packet.length, 2);
  const result = decodeDatagram(packet, secret, { requireMessageAuthenticator: false });
  assert.equal(result.outcome, 'ok');
  if (result.outcome === 'ok') assert.equal(result.request.authentication, 'invalid_pap');
});

test("decode: never changes the caller's buffer", () => {
  const packet = build(pap);
  const before = Buffer.from(packet);
  decodeDatagram(packet, secret, { requireMessageAuthenticator: true });
  decodeDatagram(packet, Buffer.from('wrong'), { requireMessageAuthenticator: true });
  assert.deepEqual(packet, before);
});

/** Builds a PAP request with a fixed Request Authenticator, the password hidden by our encoder (so its octets can be anything). */
function withRawPassword(attributes: Attrs, password: Buffer): Buffer {
  const authenticator = Buffer.alloc(16, 0x5a);
  const hiddenPassword = encodeUserPassword(password, secret, authenticator);
  return radius.encode({
    code: 'Access-Request',
    secret: SECRET,
    identifier: 42,
    authenticator,
    attributes: [...attributes, ['User-Password', hiddenPassword]],
    add_message_authenticator: true,
  });
}

const textCases: Array<{ name: string; packet: () => Buffer; attribute: TextAttributeName; problem: TextProblem; octets: number }> = [
  {
    name: 'User-Name with a NUL',
    packet: () => build([['User-Name', Buffer.from('alice\0@contoso.com')], pap[1]!]),
    attribute: 'User-Name',
    problem: 'control_character',
    octets: 18,
  },
  {
    name: 'User-Name with \\x01',
    packet: () => build([['User-Name', Buffer.from('\x01alice')], pap[1]!]),
    attribute: 'User-Name',
    problem: 'control_character',
    octets: 6,
  },
  {
    name: 'User-Name with DEL',
    packet: () => build([['User-Name', Buffer.from('alice\x7f')], pap[1]!]),
    attribute: 'User-Name',
    problem: 'control_character',
    octets: 6,
  },
  {
    name: 'User-Name with C1 NEL',
    packet: () => build([['User-Name', Buffer.from('alice\u0085', 'utf8')], pap[1]!]),
    attribute: 'User-Name',
    problem: 'control_character',
    octets: 7,
  },
  {
    name: 'User-Name with a line feed',
    packet: () => build([['User-Name', Buffer.from('alice\nadmin')], pap[1]!]),
    attribute: 'User-Name',
    problem: 'control_character',
    octets: 11,
  },
  {
    name: 'User-Name not UTF-8',
    packet: () => build([['User-Name', Buffer.from([0x6a, 0xfc, 0x72])], pap[1]!]),
    attribute: 'User-Name',
    problem: 'invalid_utf8',
    octets: 3,
  },
  {
    name: 'User-Name with an overlong NUL',
    packet: () => build([['User-Name', Buffer.from([0x61, 0xc0, 0x80])], pap[1]!]),
    attribute: 'User-Name',
    problem: 'invalid_utf8',
    octets: 3,
  },
  {
    name: 'User-Name empty',
    packet: () => build([['User-Name', Buffer.alloc(0)], pap[1]!]),
    attribute: 'User-Name',
    problem: 'empty',
    octets: 0,
  },
  {
    name: 'two User-Names',
    packet: () => build([...pap, ['User-Name', 'mallory@contoso.com']]),
    attribute: 'User-Name',
    problem: 'repeated',
    octets: 19,
  },
  {
    name: 'NAS-Identifier with a NUL',
    packet: () => build([...pap, ['NAS-Identifier', Buffer.from('vpn\0')]]),
    attribute: 'NAS-Identifier',
    problem: 'control_character',
    octets: 4,
  },
  {
    name: 'NAS-Identifier not UTF-8',
    packet: () => build([...pap, ['NAS-Identifier', Buffer.from([0xff, 0xfe])]]),
    attribute: 'NAS-Identifier',
    problem: 'invalid_utf8',
    octets: 2,
  },
  {
    name: 'Calling-Station-Id with a NUL',
    packet: () => build([...pap, ['Calling-Station-Id', Buffer.from('198.51.100.7\0')]]),
    attribute: 'Calling-Station-Id',
    problem: 'control_character',
    octets: 13,
  },
  {
    name: 'Calling-Station-Id with \\u0085',
    packet: () => build([...pap, ['Calling-Station-Id', Buffer.from('aa-bb\u0085', 'utf8')]]),
    attribute: 'Calling-Station-Id',
    problem: 'control_character',
    octets: 7,
  },
  {
    name: 'Calling-Station-Id empty',
    packet: () => build([...pap, ['Calling-Station-Id', Buffer.alloc(0)]]),
    attribute: 'Calling-Station-Id',
    problem: 'empty',
    octets: 0,
  },
  {
    name: 'two Calling-Station-Ids',
    packet: () => build([...pap, ['Calling-Station-Id', 'a'], ['Calling-Station-Id', 'b']]),
    attribute: 'Calling-Station-Id',
    problem: 'repeated',
    octets: 1,
  },
  {
    name: 'a password with a NUL inside',
    packet: () => withRawPassword([pap[0]!], Buffer.from('Secret\0Pass123456')),
    attribute: 'User-Password',
    problem: 'control_character',
    octets: 32,
  },
  {
    name: 'a password not UTF-8',
    packet: () => withRawPassword([pap[0]!], Buffer.from([0x50, 0xfc, 0x31, 0x32])),
    attribute: 'User-Password',
    problem: 'invalid_utf8',
    octets: 16,
  },
  {
    name: 'a password of NULs only',
    packet: () => withRawPassword([pap[0]!], Buffer.alloc(16)),
    attribute: 'User-Password',
    problem: 'empty',
    octets: 16,
  },
];
for (const c of textCases) {
  test(`decode: ${c.name} is decoded but marked invalid (${c.attribute}: ${c.problem}), its value left out`, () => {
    const result = decodeDatagram(c.packet(), secret, { requireMessageAuthenticator: true });
    assert.equal(result.outcome, 'ok');
    if (result.outcome !== 'ok') return;
    assert.deepEqual(result.request.invalid, { attribute: c.attribute, problem: c.problem, octets: c.octets });
    const field = {
      'User-Name': 'userName',
      'User-Password': 'password',
      'NAS-Identifier': 'nasIdentifier',
      'Calling-Station-Id': 'callingStationId',
    }[c.attribute] as keyof RadiusRequest;
    assert.equal(result.request[field], undefined);
  });
}

test('decode: a bad text attribute is only looked at once the packet is authentic', () => {
  const packet = build([['User-Name', Buffer.from('alice\0')], pap[1]!], { secret: 'other-secret' });
  assert.equal(decodeDatagram(packet, secret, { requireMessageAuthenticator: true }).outcome, 'bad_message_authenticator');
});

test('decode: good text attributes are marked valid', () => {
  const result = decodeDatagram(build([...pap, ['NAS-Identifier', 'vpn-1'], ['Calling-Station-Id', 'ü-station']]), secret, {
    requireMessageAuthenticator: true,
  });
  assert.ok(result.outcome === 'ok');
  assert.equal(result.request.invalid, undefined);
  assert.equal(result.request.callingStationId, 'ü-station');
});
