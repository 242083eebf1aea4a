import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asTypedNumber } from './typed-number.js';

test('a whole number is sent as a number, anything else as typed', () => {
  const cases: [string, number | string][] = [
    ['72', 72],
    [' 24 ', 24],
    ['0', 0],
    ['-5', -5],
    ['1.5', '1.5'],
    ['', ''],
    ['a day', 'a day'],
    ['1e3', '1e3'],
  ];
  for (const [typed, sent] of cases) assert.equal(asTypedNumber(typed), sent, typed);
});
