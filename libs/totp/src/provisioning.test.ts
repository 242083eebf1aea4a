/** generateSeed and otpauthUri. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateSeed } from './generate-seed.js';
import { otpauthUri } from './otpauth-uri.js';
import { parseBase32Seed } from './base32-seed.js';

test('generateSeed: 20 random bytes by default as unpadded base32, different each time', () => {
  const a = generateSeed();
  const b = generateSeed();
  assert.match(a, /^[A-Z2-7]{32}$/);
  assert.notEqual(a, b);
  assert.equal(parseBase32Seed(a).bytes.length, 20);
  assert.equal(parseBase32Seed(generateSeed(32)).bytes.length, 32);
  for (const bad of [15, 65, 20.5]) assert.throws(() => generateSeed(bad), { code: 'invalid_parameters' });
});

test('otpauthUri: issuer-prefixed label, secret, issuer; non-default parameters spelled out', () => {
  const secret = 'gezd gnbv gy3t qojq gezd gnbv gy3t qojq';
  assert.equal(
    otpauthUri({ issuer: 'Contoso VPN', label: 'alice@contoso.com', secret }),
    'otpauth://totp/Contoso%20VPN:alice%40contoso.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Contoso%20VPN',
  );
  const uri = new URL(otpauthUri({ issuer: 'Tollgate', label: 'bob@x.org', secret, digits: 8, period: 60, algorithm: 'SHA256' }));
  assert.equal(uri.protocol, 'otpauth:');
  assert.equal(uri.searchParams.get('secret'), 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  assert.equal(uri.searchParams.get('algorithm'), 'SHA256');
  assert.equal(uri.searchParams.get('digits'), '8');
  assert.equal(uri.searchParams.get('period'), '60');
  const fromBytes = otpauthUri({ issuer: 'T', label: 'c@x.org', secret: new TextEncoder().encode('12345678901234567890') });
  assert.match(fromBytes, /secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&/);
});

test('otpauthUri refuses colons, empty names, bad seeds and parameters', () => {
  const ok = { issuer: 'T', label: 'a@b.c', secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' };
  assert.throws(() => otpauthUri({ ...ok, issuer: 'A:B' }), { code: 'invalid_parameters' });
  assert.throws(() => otpauthUri({ ...ok, label: 'a:b' }), { code: 'invalid_parameters' });
  assert.throws(() => otpauthUri({ ...ok, issuer: ' ' }), { code: 'invalid_parameters' });
  assert.throws(() => otpauthUri({ ...ok, secret: 'AAAA' }), { code: 'seed_too_short' });
  assert.throws(() => otpauthUri({ ...ok, secret: 'A1B2C3D4E5F6G7H8' }), { code: 'invalid_base32' });
  assert.throws(() => otpauthUri({ ...ok, digits: 7 as 6 }), { code: 'invalid_parameters' });
});
