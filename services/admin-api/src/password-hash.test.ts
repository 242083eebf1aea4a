import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DUMMY_HASH, hashPassword, parseHash, PasswordHashError, SCRYPT_DEFAULTS, verifyPassword } from './password-hash.js';

const FAST = { N: 1024, r: 8, p: 1 };

test('a hash names its parameters and salt, and verifies only its password', async () => {
  const hash = await hashPassword('correct horse battery', FAST);
  assert.match(hash, /^scrypt\$N=1024,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  assert.equal(await verifyPassword('correct horse battery', hash), true);
  assert.equal(await verifyPassword('correct horse batterY', hash), false);
  assert.equal(await verifyPassword('', hash), false);
  assert.notEqual(await hashPassword('correct horse battery', FAST), hash, 'a fresh salt each time');
});

test('the default parameters are memory-hard and verify', async () => {
  const hash = await hashPassword('a long admin password');
  const parsed = parseHash(hash);
  assert.deepEqual([parsed.N, parsed.r, parsed.p], [SCRYPT_DEFAULTS.N, SCRYPT_DEFAULTS.r, SCRYPT_DEFAULTS.p]);
  assert.ok(128 * parsed.N * parsed.r >= 32 * 1024 * 1024, 'at least 32 MiB');
  assert.equal(await verifyPassword('a long admin password', hash), true);
});

test('the dummy hash parses and matches nothing', async () => {
  assert.equal(await verifyPassword('', DUMMY_HASH), false);
  assert.equal(await verifyPassword('password', DUMMY_HASH), false);
});

test('malformed or out-of-range hashes are refused, not verified', async () => {
  const salt = 'AAAAAAAAAAAAAAAAAAAAAA';
  const key = 'A'.repeat(43);
  const table = [
    '',
    'bcrypt$2b$10$abc',
    `scrypt$N=1000,r=8,p=1$${salt}$${key}`,
    `scrypt$N=1,r=8,p=1$${salt}$${key}`,
    `scrypt$N=4194304,r=8,p=1$${salt}$${key}`,
    `scrypt$N=1024,r=0,p=1$${salt}$${key}`,
    `scrypt$N=1024,r=8,p=99$${salt}$${key}`,
    `scrypt$N=1024,r=8,p=1$short$${key}`,
    `scrypt$N=1024,r=8,p=1$${salt}$`,
  ];
  for (const hash of table) {
    assert.throws(() => parseHash(hash), PasswordHashError, hash);
    await assert.rejects(verifyPassword('x', hash), PasswordHashError, hash);
  }
});
