import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValueError } from './value-error.js';

const cases: Array<[string, unknown, boolean]> = [
  ['22021 NUL in text', { code: '22021' }, true],
  ['22P02 invalid text representation', { code: '22P02' }, true],
  ['22003 numeric out of range', { code: '22003' }, true],
  ['23505 unique violation', { code: '23505' }, true],
  ['23514 check violation', { code: '23514' }, true],
  ['57014 statement timeout', { code: '57014' }, false],
  ['08006 connection failure', { code: '08006' }, false],
  ['53100 disk full', { code: '53100' }, false],
  ['40P01 deadlock', { code: '40P01' }, false],
  ['42P01 undefined table', { code: '42P01' }, false],
  ['ECONNREFUSED', { code: 'ECONNREFUSED' }, false],
  ['a pool timeout without a code', new Error('timeout exceeded when trying to connect'), false],
  ['null', null, false],
  ['a string', '22021', false],
];
for (const [name, error, expected] of cases) {
  test(`isValueError: ${name} -> ${expected}`, () => assert.equal(isValueError(error), expected));
}
