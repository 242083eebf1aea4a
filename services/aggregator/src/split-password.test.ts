import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitPassword } from './split-password.js';

const cases: Array<[string, 6 | 8, { password: string; code: string } | null]> = [
  ['Secret-Pass123456', 6, { password: 'Secret-Pass', code: '123456' }],
  ['Secret-Pass12345678', 8, { password: 'Secret-Pass', code: '12345678' }],
  ['Secret-Pass12345678', 6, { password: 'Secret-Pass12', code: '345678' }],
  ['pw2024123456', 6, { password: 'pw2024', code: '123456' }], // digits in the password stay with it
  ['x000000', 6, { password: 'x', code: '000000' }],
  ['123456', 6, null], // nothing left for the password
  ['12345', 6, null],
  ['', 6, null],
  ['Secret-Pass12345a', 6, null],
  ['Secret-Pass 123456', 6, { password: 'Secret-Pass ', code: '123456' }],
  ['Pässwörd١٢٣٤٥٦', 6, null], // non-ASCII digits are not a code
];

for (const [typed, digits, expected] of cases) {
  test(`splitPassword(${JSON.stringify(typed)}, ${digits})`, () => {
    assert.deepEqual(splitPassword(typed, digits), expected);
  });
}
