/** The bus contracts refuse control characters in names and NUL in passwords, whoever sent them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecideRequest } from './decide.js';
import { EntraVerifyRequest } from './entra.js';
import { OtpVerifyRequest } from './otp.js';

const decide = {
  requestId: 'r-1',
  username: 'alice@contoso.com',
  password: 'Secret-Pass123456',
  client: { id: 'c1', name: 'vpn', address: '192.0.2.1' },
  nasIdentifier: 'vpn-1',
  callingStationId: '198.51.100.7',
};

const badNames: Array<[string, string]> = [
  ['NUL', 'alice\u0000@contoso.com'],
  ['\\x01', '\u0001alice'],
  ['a tab', 'al\tice'],
  ['a line feed', 'alice\n'],
  ['DEL', 'alice\u007f'],
  ['C1 NEL', 'alice\u0085'],
  ['C1 \\u009f', '\u009falice'],
  ['a lone high surrogate', 'alice\ud800'],
  ['a lone low surrogate', '\udc00alice'],
];

test('contracts: good requests pass, non-ASCII and astral characters included', () => {
  assert.ok(DecideRequest.safeParse(decide).success);
  assert.ok(DecideRequest.safeParse({ ...decide, username: 'jürgen.𝒜@contoso.com', password: 'Pässwörd 𝒜 "§$%&123456' }).success);
  assert.ok(OtpVerifyRequest.safeParse({ upn: 'jürgen@contoso.com', code: '123456' }).success);
  assert.ok(EntraVerifyRequest.safeParse({ upn: 'jürgen@contoso.com', password: 'P\tw ü' }).success);
});

for (const [name, value] of badNames) {
  for (const field of ['username', 'nasIdentifier', 'callingStationId', 'requestId', 'sourceAddress'] as const) {
    test(`contracts: DecideRequest.${field} with ${name} is refused, naming the field`, () => {
      const result = DecideRequest.safeParse({ ...decide, [field]: value });
      assert.equal(result.success, false);
      assert.deepEqual(
        result.error!.issues.map((i) => i.path.join('.')),
        [field],
      );
      assert.ok(!result.error!.issues[0]!.message.includes(value), 'the message does not quote the value');
    });
  }
  test(`contracts: DecideRequest.client.name with ${name} is refused`, () => {
    assert.equal(DecideRequest.safeParse({ ...decide, client: { ...decide.client, name: value } }).success, false);
  });
  test(`contracts: OtpVerifyRequest.upn and EntraVerifyRequest.upn with ${name} are refused`, () => {
    assert.equal(OtpVerifyRequest.safeParse({ upn: value, code: '123456' }).success, false);
    assert.equal(EntraVerifyRequest.safeParse({ upn: value, password: 'Secret-Pass' }).success, false);
  });
}

const lengths: Array<[string, unknown, boolean]> = [
  ['an empty username', { ...decide, username: '' }, false],
  ['a 253-character username', { ...decide, username: 'a'.repeat(253) }, true],
  ['a 254-character username', { ...decide, username: 'a'.repeat(254) }, false],
  ['an empty password', { ...decide, password: '' }, false],
  ['a 129-character password', { ...decide, password: 'p'.repeat(129) }, false],
  ['a 254-character Calling-Station-Id', { ...decide, callingStationId: 'c'.repeat(254) }, false],
];
for (const [name, request, ok] of lengths) {
  test(`contracts: DecideRequest with ${name} is ${ok ? 'accepted' : 'refused'}`, () => {
    assert.equal(DecideRequest.safeParse(request).success, ok);
  });
}

const passwords: Array<[string, string, boolean]> = [
  ['a NUL', 'Secret\u0000Pass123456', false],
  ['a lone surrogate', 'Secret\ud800123456', false],
  ['a tab (not NUL: a password is only compared)', 'Secret\tPass123456', true],
  ['printable symbols', ' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~123456', true],
];
for (const [name, password, ok] of passwords) {
  test(`contracts: a password with ${name} is ${ok ? 'accepted' : 'refused'}`, () => {
    assert.equal(DecideRequest.safeParse({ ...decide, password }).success, ok);
    assert.equal(EntraVerifyRequest.safeParse({ upn: 'a@contoso.com', password }).success, ok);
  });
}
