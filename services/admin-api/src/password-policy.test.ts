import { test } from 'node:test';
import assert from 'node:assert/strict';
import { passwordProblem } from './password-policy.js';

test('the password policy', () => {
  const table: [string, string, string | undefined][] = [
    ['correct horse battery', 'alice', undefined],
    ['Zw9!kq2#Lm4p', 'alice', undefined],
    ['short-pass1', 'alice', 'must be at least 12 characters'],
    ['x'.repeat(257), 'alice', 'must be at most 256 characters'],
    ['aaaaaaaaaaaaaaaa', 'alice', 'must not be one character repeated'],
    ['line\nbreak-password', 'alice', 'must not contain control characters'],
    ['my-Alice-password', 'alice', 'must not contain the account name'],
    ['ééééééééééé', 'bob', 'must be at least 12 characters'],
  ];
  for (const [password, username, expected] of table) assert.equal(passwordProblem(password, username), expected, password);
});
