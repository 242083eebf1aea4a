/**
 * Cross-checks generateTotp and verifyTotp against the real `oathtool` binary, an independent
 * implementation, for 6- and 8-digit codes, 30 and 60 s steps and all three hashes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oathtoolTotp } from '@tollgate/testkit';
import { generateTotp, verifyTotp } from './totp.js';
import { generateSeed } from './generate-seed.js';

const INSTANTS_S = [59, 1111111109, 1234567890, 1700000000, 2000000000, 4102444800];

test('6-digit codes from oathtool verify, and match generateTotp, for every hash and period', async () => {
  const seeds = [generateSeed(), generateSeed(32), 'GEZDGNBVGY3TQOJQ'];
  let checked = 0;
  for (const seed of seeds) {
    for (const algorithm of ['SHA1', 'SHA256', 'SHA512'] as const) {
      for (const period of [30, 60] as const) {
        for (const seconds of INSTANTS_S) {
          const atMs = seconds * 1000;
          const expected = await oathtoolTotp({ base32Secret: seed, digits: 6, period, algorithm, atMs });
          const params = { secret: seed, digits: 6, period, algorithm } as const;
          assert.equal(generateTotp({ ...params, nowMs: atMs }), expected, `${algorithm}/${period}s at ${seconds}`);
          const result = verifyTotp({ ...params, code: expected, nowMs: atMs });
          assert.deepEqual(result, { valid: true, step: Math.floor(seconds / period), drift: 0 });
          checked++;
        }
      }
    }
  }
  assert.equal(checked, 3 * 3 * 2 * INSTANTS_S.length);
});

test('a code oathtool printed one step ago or ahead verifies with drift; two steps away does not', async () => {
  const seed = generateSeed();
  const now = 1_750_000_015_000;
  const params = { secret: seed, digits: 6, period: 30, algorithm: 'SHA1' } as const;
  for (const [offset, valid] of [
    [-60_000, false],
    [-30_000, true],
    [30_000, true],
    [60_000, false],
  ] as const) {
    const code = await oathtoolTotp({ base32Secret: seed, atMs: now + offset });
    assert.equal(verifyTotp({ ...params, code, nowMs: now }).valid, valid, `offset ${offset}`);
  }
});

test('8-digit codes agree with oathtool too', async () => {
  const seed = generateSeed();
  const atMs = 1_760_000_000_000;
  const code = await oathtoolTotp({ base32Secret: seed, digits: 8, algorithm: 'SHA256', atMs });
  assert.equal(generateTotp({ secret: seed, digits: 8, period: 30, algorithm: 'SHA256', nowMs: atMs }), code);
});
