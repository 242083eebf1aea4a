/** PAP User-Password hiding (RFC 2865 5.2), round-tripped against the `radius` package both ways. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { encodeUserPassword, radiusPackage as radius } from '@tollgate/testkit';
import { decodeUserPassword, UserPasswordError } from './user-password.js';

const SECRET = 'xyzzy5461';
const secret = Buffer.from(SECRET);

const passwords = [
  'a',
  'fifteen-chars!!',
  'sixteen-chars!!!',
  'seventeen-chars!!',
  'Secret-Pass123456',
  'Pässwörd-😀-123456',
  'x'.repeat(128),
];

for (const password of passwords) {
  test(`PAP: ${Buffer.byteLength(password)} octets round-trip with the radius package both ways`, () => {
    // radius encodes, we decode.
    const packet = radius.encode({ code: 'Access-Request', secret: SECRET, attributes: [['User-Password', password]] });
    const hidden = packet.subarray(22, 20 + packet[21]!);
    assert.equal(hidden.length % 16, 0);
    assert.equal(decodeUserPassword(hidden, secret, packet.subarray(4, 20)).toString('utf8'), password);

    // We encode, radius decodes.
    const authenticator = randomBytes(16);
    const ours = encodeUserPassword(Buffer.from(password), secret, authenticator);
    const request = Buffer.concat([Buffer.from([1, 1, 0, 0]), authenticator, Buffer.from([2, 2 + ours.length]), ours]);
    request.writeUInt16BE(request.length, 2);
    const decoded = radius.decode({ packet: request, secret: SECRET });
    assert.equal(decoded.attributes['User-Password'], password);
  });
}

test('PAP: a wrong secret yields a different password, not an error', () => {
  const authenticator = randomBytes(16);
  const hidden = encodeUserPassword(Buffer.from('hunter2-123456'), secret, authenticator);
  assert.notEqual(decodeUserPassword(hidden, Buffer.from('other'), authenticator).toString('utf8'), 'hunter2-123456');
});

for (const length of [0, 15, 17, 144]) {
  test(`PAP: hidden value of ${length} octets is refused with a stable code`, () => {
    assert.throws(
      () => decodeUserPassword(Buffer.alloc(length, 1), secret, randomBytes(16)),
      (error: unknown) => error instanceof UserPasswordError && error.code === 'user_password_malformed',
    );
  });
}

test('PAP: passwords over 128 octets cannot be encoded (the test NAS refuses them as RFC 2865 does)', () => {
  assert.throws(() => encodeUserPassword(Buffer.alloc(129, 0x61), secret, randomBytes(16)), RangeError);
});
