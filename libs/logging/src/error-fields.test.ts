import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorFields } from './error-fields.js';

class CodedError extends Error {
  readonly code = 'coded';
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

const SECRET = 'P@ss-1';
const cases: Array<[string, unknown, { name: string; code?: string }]> = [
  [
    'a driver error with a string code',
    Object.assign(new Error(`password authentication failed for "${SECRET}"`), { code: '28P01' }),
    { name: 'Error', code: '28P01' },
  ],
  ['a built-in error without a code', new TypeError(`bad ${SECRET}`), { name: 'TypeError' }],
  ['a numeric code (not an error code we keep)', Object.assign(new Error(SECRET), { code: 42 }), { name: 'Error' }],
  ['a class that names itself', new CodedError(SECRET), { name: 'CodedError', code: 'coded' }],
  [
    'a system error',
    Object.assign(new Error(`connect ECONNREFUSED ${SECRET}`), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect' }),
    { name: 'Error', code: 'ECONNREFUSED' },
  ],
  ['a thrown string', `a thrown ${SECRET}`, { name: 'string' }],
  ['a thrown object', { message: SECRET, code: 'x' }, { name: 'object' }],
  ['undefined', undefined, { name: 'undefined' }],
];

for (const [what, error, expected] of cases) {
  test(`errorFields of ${what}: its name and string code, never its message`, () => {
    const fields = errorFields(error);
    assert.deepEqual(fields, expected);
    assert.ok(!JSON.stringify(fields).includes(SECRET));
  });
}
