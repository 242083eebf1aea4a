import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring, KeyringError } from './keyring.js';
import { secretsEqual } from './compare.js';

const keyring = Keyring.fromBase64(Keyring.generateBase64());

test('seal/open round-trips and never contains the plaintext', () => {
  const sealed = keyring.seal('JBSWY3DPEHPK3PXP', 'totp:alice@contoso.com');
  assert.match(sealed, /^v1\./);
  assert.ok(!sealed.includes('JBSWY3DPEHPK3PXP'));
  assert.equal(keyring.openText(sealed, 'totp:alice@contoso.com'), 'JBSWY3DPEHPK3PXP');
});

test('sealing twice gives different ciphertexts (random IV)', () => {
  assert.notEqual(keyring.seal('x', 'c'), keyring.seal('x', 'c'));
});

test('a ciphertext moved to another context does not open', () => {
  const sealed = keyring.seal('seed', 'totp:alice@contoso.com');
  assert.throws(
    () => keyring.open(sealed, 'totp:mallory@contoso.com'),
    (e: unknown) => e instanceof KeyringError && e.code === 'bad_ciphertext',
  );
});

test('another key does not open it, and tampering is detected', () => {
  const sealed = keyring.seal('seed', 'ctx');
  const other = Keyring.fromBase64(Keyring.generateBase64());
  assert.throws(() => other.open(sealed, 'ctx'), { code: 'bad_ciphertext' });
  const raw = Buffer.from(sealed.slice(3), 'base64url');
  raw[raw.length - 1]! ^= 1;
  assert.throws(() => keyring.open(`v1.${raw.toString('base64url')}`, 'ctx'), { code: 'bad_ciphertext' });
  assert.throws(() => keyring.open('v2.abc', 'ctx'), { code: 'bad_ciphertext' });
  assert.throws(() => keyring.open('v1.abc', 'ctx'), { code: 'bad_ciphertext' });
});

test('master keys must be 32 bytes of base64', () => {
  assert.throws(() => Keyring.fromBase64(Buffer.alloc(16).toString('base64')), { code: 'bad_key' });
  assert.throws(() => Keyring.fromBase64('not base64 at all!'), { code: 'bad_key' });
  assert.doesNotThrow(() => Keyring.fromBase64(Buffer.alloc(32, 7).toString('base64url')));
});

test('secretsEqual compares any lengths', () => {
  assert.equal(secretsEqual('abc', 'abc'), true);
  assert.equal(secretsEqual('abc', 'abd'), false);
  assert.equal(secretsEqual('abc', 'abcd'), false);
  assert.equal(secretsEqual('', ''), true);
  assert.equal(secretsEqual(Buffer.from('k'), 'k'), true);
});

test('derived keys: one per purpose, stable for a master key, different under another', () => {
  const a = keyring.deriveKey('bus/v1');
  assert.equal(a.length, 32);
  assert.deepEqual(keyring.deriveKey('bus/v1'), a);
  assert.notDeepEqual(keyring.deriveKey('portal-bus/v1'), a);
  assert.notDeepEqual(Keyring.fromBase64(Keyring.generateBase64()).deriveKey('bus/v1'), a);
  assert.throws(() => keyring.deriveKey(''), { code: 'bad_key' });
});
