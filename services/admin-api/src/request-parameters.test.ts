import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parameterWithControlCharacter } from './request-parameters.js';

const cases: Array<[string, Record<string, unknown>, string | undefined]> = [
  ['plain values', { username: 'alice@contoso.com', limit: '5' }, undefined],
  ['non-ASCII', { search: 'jürgen 𝒜' }, undefined],
  ['no parameters', {}, undefined],
  ['a NUL', { username: 'alice\u0000' }, 'username'],
  ['\\x01', { search: '\u0001' }, 'search'],
  ['a line feed', { after: 'a\nb' }, 'after'],
  ['DEL', { id: 'x\u007f' }, 'id'],
  ['C1 NEL', { id: '\u0085' }, 'id'],
  ['a lone surrogate', { search: '\ud800' }, 'search'],
  ['the second parameter', { limit: '5', username: 'a\u0000' }, 'username'],
  ['a repeated parameter', { username: ['alice', 'b\u0000'] }, 'username'],
  ['a control character in a name', { 'user\u0000name': 'alice' }, ''],
];
for (const [name, parameters, expected] of cases) {
  test(`parameters: ${name} -> ${expected === undefined ? 'fine' : JSON.stringify(expected)}`, () => {
    assert.equal(parameterWithControlCharacter(parameters), expected);
  });
}
