/** Table tests for the Base32 seed check. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkBase32Seed } from './base32-seed.js';

test('accepts seeds as vendors and apps print them, returning the canonical form', () => {
  const cases: Array<[string, string, number]> = [
    ['JBSWY3DPEHPK3PXP', 'JBSWY3DPEHPK3PXP', 80],
    ['jbsw y3dp ehpk 3pxp', 'JBSWY3DPEHPK3PXP', 80],
    ['JBSW-Y3DP-EHPK-3PXP', 'JBSWY3DPEHPK3PXP', 80],
    ['GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 160],
    ['GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGE======', 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGE', 168],
    // The reference CSV example: 26 characters, 130 bits, 16 whole bytes.
    ['2234567abcdef2234567abcdef', '2234567ABCDEF2234567ABCDEF', 128],
  ];
  for (const [input, base32, bits] of cases) {
    assert.deepEqual(checkBase32Seed(input), { ok: true, base32, bits }, input);
  }
});

test('rejects what is not a usable seed, without echoing it', () => {
  const cases: Array<[string, RegExp]> = [
    ['', /must be a Base32 seed/],
    ['   ', /must be a Base32 seed/],
    ['JBSWY3DPEHPK3PX1', /A-Z and digits 2-7/], // 1 is not Base32
    ['JBSWY3DPEHPK3PX0', /A-Z and digits 2-7/],
    ['JBSWY3DP=EHPK3PXP', /A-Z and digits 2-7/], // padding in the middle
    ['JBSWY3DPEHPK3PXPA', /complete Base32/], // 17 chars: remainder 1
    ['JBSWY3DPEHPK', /at least 80 bits/], // 60 bits
    ['A'.repeat(208), /at most 1024 bits/],
  ];
  for (const [input, problem] of cases) {
    const result = checkBase32Seed(input);
    assert.equal(result.ok, false, input);
    if (!result.ok) {
      assert.match(result.problem, problem, input);
      if (input.trim()) assert.ok(!result.problem.includes(input), 'problem must not echo the seed');
    }
  }
});
