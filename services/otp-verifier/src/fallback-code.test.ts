import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fallbackCodeDigest, fallbackCodeMatches, fallbackSendsKey, generateFallbackCode } from './fallback-code.js';

const REF = `challenge:${'a'.repeat(64)}`;

test('generateFallbackCode gives six digits, leading zeros kept, and varies', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const code = generateFallbackCode();
    assert.match(code, /^[0-9]{6}$/);
    seen.add(code);
  }
  assert.ok(seen.size > 190);
});

const matches: Array<[string, string, string, boolean]> = [
  ['the same code and ref', REF, '012345', true],
  ['another code', REF, '012346', false],
  ['another ref', `challenge:${'b'.repeat(64)}`, '012345', false],
  ['the code without its leading zero', REF, '12345', false],
];

for (const [name, ref, code, expected] of matches) {
  test(`fallbackCodeMatches: ${name} → ${expected}`, () => {
    assert.equal(fallbackCodeMatches(fallbackCodeDigest(REF, '012345'), ref, code), expected);
  });
}

test('fallbackCodeMatches refuses a stored value of the wrong length', () => {
  assert.equal(fallbackCodeMatches(Buffer.from('short'), REF, '012345'), false);
});

test('fallbackSendsKey changes with the hour, not within it', () => {
  const h = 1_800_000_000_000 - (1_800_000_000_000 % 3_600_000);
  assert.equal(fallbackSendsKey('a@x', h), fallbackSendsKey('a@x', h + 3_599_999));
  assert.notEqual(fallbackSendsKey('a@x', h), fallbackSendsKey('a@x', h + 3_600_000));
});
