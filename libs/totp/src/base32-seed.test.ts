/** Base32 seed normalisation, validation and encoding. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeBase32, parseBase32Seed } from './base32-seed.js';
import { TotpError } from './totp-error.js';

const RFC_SHA1_SEED = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // ASCII 12345678901234567890

test('accepted spellings normalise to the same canonical seed', () => {
  const spellings = [
    RFC_SHA1_SEED,
    RFC_SHA1_SEED.toLowerCase(),
    'gezd gnbv gy3t qojq gezd gnbv gy3t qojq',
    'GEZD-GNBV-GY3T-QOJQ-GEZD-GNBV-GY3T-QOJQ',
    ` \t${RFC_SHA1_SEED}\r\n`,
  ];
  for (const text of spellings) {
    const parsed = parseBase32Seed(text);
    assert.equal(parsed.base32, RFC_SHA1_SEED, JSON.stringify(text));
    assert.equal(Buffer.from(parsed.bytes).toString('ascii'), '12345678901234567890');
  }
});

test('padding is optional but must be well formed when present', () => {
  // 16 bytes -> 26 characters + 6 padding
  const seed16 = encodeBase32(new Uint8Array(16).fill(0xab));
  assert.equal(seed16.length, 26);
  assert.equal(parseBase32Seed(`${seed16}======`).base32, seed16);
  assert.equal(parseBase32Seed(seed16).bytes.length, 16);
  for (const bad of [`${seed16}=`, `${seed16}=======`, `${seed16}==A===`, `${RFC_SHA1_SEED}========`]) {
    assert.throws(() => parseBase32Seed(bad), { code: 'invalid_base32' }, bad);
  }
});

test('invalid text throws invalid_base32 without echoing the seed', () => {
  const cases = [
    '',
    '   ',
    'GEZDGNBVGY3TQOJQGEZDGNB1',
    'GEZDGNBVGY3TQOJQGEZDGNB8',
    'GEZDGNBVGY3TQOJQ!EZDGNBV',
    'ÄEZDGNBVGY3TQOJQGEZDGNBV',
    // impossible lengths: 8k+1, 8k+3, 8k+6 characters
    'GEZDGNBVGY3TQOJQG',
    'GEZDGNBVGY3TQOJQGEZ',
    'GEZDGNBVGY3TQOJQGEZDGN',
  ];
  for (const text of cases) {
    assert.throws(
      () => parseBase32Seed(text),
      (e: unknown) =>
        e instanceof TotpError && e.code === 'invalid_base32' && (text.trim() === '' || !e.message.includes(text.slice(0, 6))),
      JSON.stringify(text),
    );
  }
});

test('each problem has its own message, written to follow a field name', () => {
  const cases: Array<[string, string, string]> = [
    ['', 'invalid_base32', 'must be a Base32 seed (letters A-Z and digits 2-7)'],
    [' - ', 'invalid_base32', 'must be a Base32 seed (letters A-Z and digits 2-7)'],
    ['JBSWY3DPEHPK3PX1', 'invalid_base32', 'must be Base32 (letters A-Z and digits 2-7 only)'],
    // A bad character is named before an impossible length: it is the likelier mistake.
    ['JBSWY3DPEHPK3PX18', 'invalid_base32', 'must be Base32 (letters A-Z and digits 2-7 only)'],
    ['JBSWY3DP=EHPK3PXP', 'invalid_base32', "must be Base32 with '=' padding only at the end, to a multiple of 8 characters"],
    ['JBSWY3DPEHPK3PXP=', 'invalid_base32', "must be Base32 with '=' padding only at the end, to a multiple of 8 characters"],
    ['JBSWY3DPEHPK3PXPA', 'invalid_base32', 'must be complete Base32 (its length is not one an encoder produces)'],
    ['JBSWY3DPEHPK', 'seed_too_short', 'must be at least 80 bits (16 Base32 characters)'],
    ['A'.repeat(104), 'seed_too_long', 'must be at most 512 bits (64 bytes)'],
  ];
  for (const [text, code, message] of cases) {
    assert.throws(() => parseBase32Seed(text), { name: 'TotpError', code, message }, text);
  }
  assert.throws(() => parseBase32Seed(42 as unknown as string), { code: 'invalid_base32', message: 'must be a Base32 string' });
});

test('length limits: 10 bytes (80 bits) accepted, 9 refused, 64 accepted, 65 refused', () => {
  const ofLength = (n: number) => encodeBase32(new Uint8Array(n).fill(0x5a));
  assert.equal(parseBase32Seed(ofLength(10)).bytes.length, 10);
  assert.throws(() => parseBase32Seed(ofLength(9)), { code: 'seed_too_short' });
  assert.equal(parseBase32Seed(ofLength(64)).bytes.length, 64);
  assert.throws(() => parseBase32Seed(ofLength(65)), { code: 'seed_too_long' });
});

test('leftover bits after the last byte are ignored, as oathtool does (Microsoft CSV example)', () => {
  const a = parseBase32Seed('2234567abcdef2234567abcdef');
  const b = parseBase32Seed('2234567abcdef2234567abcdeg');
  assert.equal(a.bytes.length, 16);
  assert.deepEqual(a.bytes, b.bytes);
});

test('encodeBase32 matches RFC 4648 test vectors (unpadded)', () => {
  const vectors: Array<[string, string]> = [
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ];
  for (const [plain, encoded] of vectors) assert.equal(encodeBase32(new TextEncoder().encode(plain)), encoded);
  assert.equal(encodeBase32(new TextEncoder().encode('12345678901234567890')), RFC_SHA1_SEED);
});

test('random seeds round-trip through encode and parse', () => {
  for (let n = 10; n <= 64; n++) {
    const bytes = new Uint8Array(n).map((_, i) => (i * 37 + n * 11) & 0xff);
    assert.deepEqual(parseBase32Seed(encodeBase32(bytes)).bytes, bytes);
  }
});
