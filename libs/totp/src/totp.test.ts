/** RFC 6238 vectors, the drift window and parameter checks for generateTotp / verifyTotp. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateTotp, verifyTotp, totpStep, type TotpAlgorithm } from './totp.js';
import { encodeBase32 } from './base32-seed.js';
import { TotpError } from './totp-error.js';

const ascii = (s: string) => new TextEncoder().encode(s);
// RFC 6238 Appendix B: the reference implementation uses a seed of the hash's own length.
const SEEDS: Record<TotpAlgorithm, Uint8Array> = {
  SHA1: ascii('12345678901234567890'),
  SHA256: ascii('12345678901234567890123456789012'),
  SHA512: ascii('1234567890123456789012345678901234567890123456789012345678901234'),
};

// RFC 6238 Appendix B, table of test vectors (T0 = 0, X = 30, 8 digits).
const RFC6238_VECTORS: Array<{ seconds: number; step: number; SHA1: string; SHA256: string; SHA512: string }> = [
  { seconds: 59, step: 0x1, SHA1: '94287082', SHA256: '46119246', SHA512: '90693936' },
  { seconds: 1111111109, step: 0x23523ec, SHA1: '07081804', SHA256: '68084774', SHA512: '25091201' },
  { seconds: 1111111111, step: 0x23523ed, SHA1: '14050471', SHA256: '67062674', SHA512: '99943326' },
  { seconds: 1234567890, step: 0x273ef07, SHA1: '89005924', SHA256: '91819424', SHA512: '93441116' },
  { seconds: 2000000000, step: 0x3f940aa, SHA1: '69279037', SHA256: '90698825', SHA512: '38618901' },
  { seconds: 20000000000, step: 0x27bc86aa, SHA1: '65353130', SHA256: '77737706', SHA512: '47863826' },
];

for (const vector of RFC6238_VECTORS) {
  for (const algorithm of ['SHA1', 'SHA256', 'SHA512'] as const) {
    test(`RFC 6238 ${algorithm} at T=${vector.seconds}`, () => {
      const params = { secret: SEEDS[algorithm], digits: 8, period: 30, algorithm } as const;
      const nowMs = vector.seconds * 1000;
      assert.equal(totpStep(nowMs, 30), vector.step);
      assert.equal(generateTotp({ ...params, nowMs }), vector[algorithm]);
      assert.deepEqual(verifyTotp({ ...params, code: vector[algorithm], nowMs }), { valid: true, step: vector.step, drift: 0 });
      // The same seed given as Base32 text.
      const base32 = encodeBase32(SEEDS[algorithm]);
      assert.equal(generateTotp({ ...params, secret: base32, nowMs }), vector[algorithm]);
    });
  }
}

const seed = ascii('12345678901234567890');
const base = { secret: seed, digits: 6, period: 30, algorithm: 'SHA1' } as const;
const T = 1_700_000_010_000; // an instant well inside a 30 s step
const stepT = totpStep(T, 30);
const codeAt = (step: number, p: { period: 30 | 60 } = base) => generateTotp({ ...base, ...p, nowMs: step * p.period * 1000 });

test('drift window: T-1 and T+1 accepted with their own step, T-2 and T+2 rejected', () => {
  const cases = [
    { offset: -2, expect: undefined },
    { offset: -1, expect: stepT - 1 },
    { offset: 0, expect: stepT },
    { offset: 1, expect: stepT + 1 },
    { offset: 2, expect: undefined },
  ];
  for (const { offset, expect } of cases) {
    const result = verifyTotp({ ...base, code: codeAt(stepT + offset), nowMs: T });
    if (expect === undefined) assert.deepEqual(result, { valid: false }, `offset ${offset}`);
    else assert.deepEqual(result, { valid: true, step: expect, drift: offset }, `offset ${offset}`);
  }
});

test('window 0 accepts only the current step; window 2 reaches T±2; bad windows throw', () => {
  assert.equal(verifyTotp({ ...base, code: codeAt(stepT - 1), nowMs: T, window: 0 }).valid, false);
  assert.equal(verifyTotp({ ...base, code: codeAt(stepT), nowMs: T, window: 0 }).valid, true);
  assert.deepEqual(verifyTotp({ ...base, code: codeAt(stepT + 2), nowMs: T, window: 2 }), { valid: true, step: stepT + 2, drift: 2 });
  for (const window of [-1, 3, 1.5]) {
    assert.throws(() => verifyTotp({ ...base, code: '000000', nowMs: T, window }), { code: 'invalid_parameters' });
  }
});

test('step boundaries: the last and first millisecond of a step', () => {
  const start = stepT * 30_000;
  assert.equal(totpStep(start, 30), stepT);
  assert.equal(totpStep(start - 1, 30), stepT - 1);
  assert.equal(generateTotp({ ...base, nowMs: start }), codeAt(stepT));
  assert.equal(generateTotp({ ...base, nowMs: start + 29_999 }), codeAt(stepT));
  assert.notEqual(generateTotp({ ...base, nowMs: start + 30_000 }), codeAt(stepT));
});

test('60 s period: steps are 60 s long and the window is one 60 s step', () => {
  const p60 = { period: 60 } as const;
  const step60 = totpStep(T, 60);
  assert.equal(step60, Math.floor(T / 60_000));
  const code = codeAt(step60, p60);
  assert.notEqual(code, generateTotp({ ...base, nowMs: T }), '60 s and 30 s codes differ');
  assert.deepEqual(verifyTotp({ ...base, ...p60, code, nowMs: T }), { valid: true, step: step60, drift: 0 });
  assert.deepEqual(verifyTotp({ ...base, ...p60, code: codeAt(step60 - 1, p60), nowMs: T }), { valid: true, step: step60 - 1, drift: -1 });
  assert.equal(verifyTotp({ ...base, ...p60, code: codeAt(step60 - 2, p60), nowMs: T }).valid, false);
  // 119 s later is still T+1 in 60 s steps
  assert.equal(verifyTotp({ ...base, ...p60, code, nowMs: step60 * 60_000 + 119_999 }).valid, true);
  assert.equal(verifyTotp({ ...base, ...p60, code, nowMs: step60 * 60_000 + 120_000 }).valid, false);
});

test('malformed codes are invalid, never an error', () => {
  const good = codeAt(stepT);
  for (const code of ['', good.slice(1), `${good}0`, ` ${good.slice(1)}`, good.replace(/^./, 'a'), '１２３４５６']) {
    assert.deepEqual(verifyTotp({ ...base, code, nowMs: T }), { valid: false }, JSON.stringify(code));
  }
  // an 8-digit code against a 6-digit token: the last six digits of the 8-digit code are the 6-digit code
  const eight = generateTotp({ ...base, digits: 8, nowMs: T });
  assert.equal(eight.slice(2), good);
  assert.deepEqual(verifyTotp({ ...base, code: eight, nowMs: T }), { valid: false });
  assert.equal(verifyTotp({ ...base, digits: 8, code: eight, nowMs: T }).valid, true);
});

test('when a code matches two steps, the current one wins, then the past one', () => {
  // Collisions found by search for the RFC seed, SHA1, 6 digits: steps 910737 and 910738
  // share a code, as do 153567 and 153569 (with 153568 different).
  assert.equal(codeAt(910737), '911617');
  assert.equal(codeAt(910738), '911617');
  assert.deepEqual(verifyTotp({ ...base, code: '911617', nowMs: 910738 * 30_000 }), { valid: true, step: 910738, drift: 0 });
  assert.deepEqual(verifyTotp({ ...base, code: '911617', nowMs: 910737 * 30_000 }), { valid: true, step: 910737, drift: 0 });
  assert.equal(codeAt(153567), '468457');
  assert.equal(codeAt(153569), '468457');
  assert.notEqual(codeAt(153568), '468457');
  assert.deepEqual(verifyTotp({ ...base, code: '468457', nowMs: 153568 * 30_000 }), { valid: true, step: 153567, drift: -1 });
});

test('a different algorithm or seed does not verify', () => {
  const code = codeAt(stepT);
  assert.equal(verifyTotp({ ...base, algorithm: 'SHA256', code, nowMs: T }).valid, false);
  assert.equal(verifyTotp({ ...base, secret: ascii('12345678901234567891'), code, nowMs: T }).valid, false);
});

test('bad parameters and seeds throw coded errors', () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ digits: 7 }, 'invalid_parameters'],
    [{ period: 45 }, 'invalid_parameters'],
    [{ algorithm: 'MD5' }, 'invalid_parameters'],
    [{ nowMs: -1 }, 'invalid_parameters'],
    [{ nowMs: Number.NaN }, 'invalid_parameters'],
    [{ secret: new Uint8Array(9) }, 'seed_too_short'],
    [{ secret: new Uint8Array(65) }, 'seed_too_long'],
    [{ secret: 'not base32!' }, 'invalid_base32'],
    [{ secret: 'GEZDGNBV' }, 'seed_too_short'],
  ];
  for (const [override, code] of cases) {
    const params = { ...base, nowMs: T, code: '123456', ...override } as Parameters<typeof verifyTotp>[0];
    assert.throws(
      () => verifyTotp(params),
      (e: unknown) => e instanceof TotpError && e.code === code,
      JSON.stringify(override),
    );
    assert.throws(
      () => generateTotp(params),
      (e: unknown) => e instanceof TotpError && e.code === code,
    );
  }
});

test('an 80-bit seed (hardware tokens) works; steps before the epoch are skipped', () => {
  const short = new Uint8Array(10).fill(7);
  const code = generateTotp({ ...base, secret: short, nowMs: 0 });
  assert.deepEqual(verifyTotp({ ...base, secret: short, code, nowMs: 0 }), { valid: true, step: 0, drift: 0 });
});
