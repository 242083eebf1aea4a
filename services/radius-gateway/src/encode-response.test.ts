/** Responses: the `radius` package must verify them, Message-Authenticator must come first, authenticators per the RFCs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { radiusPackage as radius } from '@tollgate/testkit';
import { encodeResponse, EncodeError, type ResponseSpec } from './encode-response.js';

const SECRET = 'testing123';
const secret = Buffer.from(SECRET);

function request(withProxyState: Buffer[] = []): Buffer {
  return radius.encode({
    code: 'Access-Request',
    secret: SECRET,
    identifier: 77,
    attributes: [['User-Name', 'alice'], ['User-Password', 'pw'], ...withProxyState.map((p) => ['Proxy-State', p] as [string, unknown])],
    add_message_authenticator: true,
  });
}

const cases: Array<{ name: string; spec: Omit<ResponseSpec, 'identifier' | 'requestAuthenticator'> }> = [
  { name: 'bare Access-Accept', spec: { code: 2 } },
  { name: 'Access-Reject with Reply-Message', spec: { code: 3, replyMessage: 'Authentication failed' } },
  {
    name: 'Access-Reject with Proxy-State',
    spec: { code: 3, replyMessage: 'Authentication failed', proxyStates: [Buffer.from('one'), Buffer.from([0, 1, 2])] },
  },
  { name: 'Access-Accept with Proxy-State', spec: { code: 2, proxyStates: [Buffer.from('x')] } },
  {
    name: 'Access-Challenge with prompt, State and Proxy-State',
    spec: {
      code: 11,
      replyMessage: 'Enter the code from your authenticator app',
      state: Buffer.alloc(32, 0xa5),
      proxyStates: [Buffer.from('p1')],
    },
  },
];

const CODE_NAMES: Record<number, string> = { 2: 'Access-Accept', 3: 'Access-Reject', 11: 'Access-Challenge' };

for (const c of cases) {
  test(`encode: ${c.name} verifies with the radius package, MA first`, () => {
    const req = request(c.spec.proxyStates ?? []);
    const response = encodeResponse({ ...c.spec, identifier: 77, requestAuthenticator: req.subarray(4, 20) }, secret);

    assert.equal(radius.verify_response({ request: req, response, secret: SECRET }), true);
    assert.equal(radius.verify_response({ request: req, response: Buffer.from(response), secret: 'wrong' }), false);

    const decoded = radius.decode({ packet: response, secret: SECRET });
    assert.equal(decoded.code, CODE_NAMES[c.spec.code]);
    assert.deepEqual(
      decoded.raw_attributes.filter(([type]) => type === 24).map(([, v]) => v),
      c.spec.state ? [c.spec.state] : [],
      'State only on the challenge, as given',
    );
    assert.equal(decoded.identifier, 77);
    assert.equal(decoded.raw_attributes[0]![0], 80, 'Message-Authenticator is the first attribute');
    assert.equal(decoded.raw_attributes.filter(([type]) => type === 80).length, 1);
    assert.equal(decoded.attributes['Reply-Message'], c.spec.replyMessage);
    assert.deepEqual(
      decoded.raw_attributes.filter(([type]) => type === 33).map(([, v]) => v),
      c.spec.proxyStates ?? [],
    );
  });
}

test('encode: authenticators match RFC 2869 5.14 and RFC 2865 3 computed independently', () => {
  const requestAuthenticator = Buffer.alloc(16, 0xab);
  const response = encodeResponse({ code: 3, identifier: 5, requestAuthenticator, replyMessage: 'no' }, secret);
  const withRequestAuth = Buffer.from(response);
  requestAuthenticator.copy(withRequestAuth, 4);
  // Response Authenticator = MD5(Code+ID+Length+RequestAuth+Attributes+Secret).
  const expectedResponseAuth = createHash('md5').update(withRequestAuth).update(secret).digest();
  assert.deepEqual(response.subarray(4, 20), expectedResponseAuth);
  // Message-Authenticator = HMAC-MD5 over the packet with Request Authenticator and MA zeroed.
  const zeroed = Buffer.from(withRequestAuth);
  zeroed.fill(0, 22, 38);
  assert.deepEqual(response.subarray(22, 38), createHmac('md5', secret).update(zeroed).digest());
  assert.equal(response.length, 20 + 18 + 4);
  assert.equal(response.readUInt16BE(2), response.length);
});

test('encode: values over 253 octets are refused with a stable code', () => {
  assert.throws(
    () => encodeResponse({ code: 3, identifier: 1, requestAuthenticator: Buffer.alloc(16), replyMessage: 'x'.repeat(254) }, secret),
    (error: unknown) => error instanceof EncodeError && error.code === 'response_too_large',
  );
});

/** Proxy-States filling `octets` of attribute space (each costs its value plus two octets). */
function proxyStatesOf(octets: number): Buffer[] {
  const states: Buffer[] = [];
  for (let room = octets; room > 0; ) {
    const value = Math.min(253, room - 2);
    states.push(Buffer.alloc(value, states.length));
    room -= value + 2;
  }
  return states;
}

test('encode: a reply that would pass 4096 octets leaves out its Reply-Message and keeps every Proxy-State', () => {
  // 20 header + 18 Message-Authenticator + 4058 of Proxy-State = 4096 exactly; the Reply-Message would not fit.
  const proxyStates = proxyStatesOf(4096 - 20 - 18);
  const req = Buffer.alloc(16, 7);
  const response = encodeResponse(
    { code: 3, identifier: 9, requestAuthenticator: req, replyMessage: 'Authentication failed', proxyStates },
    secret,
  );
  assert.equal(response.length, 4096);
  const decoded = radius.decode({ packet: response, secret: SECRET });
  assert.equal(decoded.code, 'Access-Reject');
  assert.equal(decoded.attributes['Reply-Message'], undefined);
  assert.equal(decoded.raw_attributes[0]![0], 80);
  assert.deepEqual(
    decoded.raw_attributes.filter(([type]) => type === 33).map(([, v]) => v),
    proxyStates,
  );
});

test('encode: a reply that fits keeps its Reply-Message, up to the last octet', () => {
  const message = 'Authentication failed';
  const proxyStates = proxyStatesOf(4096 - 20 - 18 - (2 + message.length));
  const response = encodeResponse(
    { code: 3, identifier: 9, requestAuthenticator: Buffer.alloc(16), replyMessage: message, proxyStates },
    secret,
  );
  assert.equal(response.length, 4096);
  assert.equal(radius.decode({ packet: response, secret: SECRET }).attributes['Reply-Message'], message);
});

test('encode: Proxy-States that cannot fit even alone are refused, never cut', () => {
  const proxyStates = proxyStatesOf(4096 - 20 - 18 + 3);
  assert.throws(
    () => encodeResponse({ code: 2, identifier: 1, requestAuthenticator: Buffer.alloc(16), proxyStates }, secret),
    (error: unknown) => error instanceof EncodeError && error.code === 'response_too_large',
  );
});

/** A Cisco-AVPair (vendor 9, type 1) of `length` octets in all. */
const vsa = (length: number) => {
  const attribute = Buffer.alloc(length, 0x61);
  attribute[0] = 26;
  attribute[1] = length;
  attribute.writeUInt32BE(9, 2);
  attribute[6] = 1;
  attribute[7] = length - 6;
  return attribute;
};

test('encode: reply attributes follow Message-Authenticator, in order, before the Proxy-States', () => {
  const filterId = Buffer.from([11, 7, ...Buffer.from('staff')]);
  const group = vsa(14);
  const proxyStates = [Buffer.from('p1')];
  const req = request(proxyStates);
  const response = encodeResponse(
    { code: 2, identifier: 77, requestAuthenticator: req.subarray(4, 20), proxyStates, replyAttributes: [filterId, group] },
    secret,
  );
  assert.equal(radius.verify_response({ request: req, response, secret: SECRET }), true);
  const types = radius.decode({ packet: response, secret: SECRET }).raw_attributes.map(([type]) => type);
  assert.deepEqual(types, [80, 11, 26, 33]);
  assert.ok(response.includes(Buffer.concat([filterId, group])));
});

test('encode: reply attributes that do not all fit with the Proxy-States are refused as a whole, never cut', () => {
  // 20 + 18 + 3800 of Proxy-State leaves 258 octets: one 255-octet VSA fits, a second does not.
  const proxyStates = proxyStatesOf(3800);
  const spec = { code: 2 as const, identifier: 1, requestAuthenticator: Buffer.alloc(16), proxyStates };
  assert.equal(encodeResponse({ ...spec, replyAttributes: [vsa(255)] }, secret).length, 20 + 18 + 3800 + 255);
  assert.throws(
    () => encodeResponse({ ...spec, replyAttributes: [vsa(255), vsa(10)] }, secret),
    (error: unknown) => error instanceof EncodeError && error.code === 'reply_attributes_too_large',
  );
});

test('encode: reply attributes on a reject, or not one whole attribute, are refused', () => {
  const base = { identifier: 1, requestAuthenticator: Buffer.alloc(16) };
  assert.throws(() => encodeResponse({ ...base, code: 3, replyAttributes: [vsa(10)] }, secret), EncodeError);
  const broken = vsa(10);
  broken[1] = 9;
  assert.throws(() => encodeResponse({ ...base, code: 2, replyAttributes: [broken] }, secret), EncodeError);
});

test('encode: a State goes on an Access-Challenge only, and a challenge needs one', () => {
  const requestAuthenticator = Buffer.alloc(16, 1);
  const cases: Array<Pick<ResponseSpec, 'code' | 'state'>> = [
    { code: 11 },
    { code: 2, state: Buffer.from('s') },
    { code: 3, state: Buffer.from('s') },
    { code: 11, state: Buffer.alloc(0) },
  ];
  for (const spec of cases) {
    assert.throws(() => encodeResponse({ ...spec, identifier: 1, requestAuthenticator }, secret), EncodeError, JSON.stringify(spec));
  }
});
