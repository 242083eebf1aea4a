import { test } from 'node:test';
import assert from 'node:assert/strict';
import { failureFor, formLevel, problemText } from './field-problem.js';

const named = { message: 'username: must be a UPN', field: 'username' };
const general = { message: 'the role helpdesk may not do this' };

test('problemText drops the field prefix only when the message carries it', () => {
  const cases: [{ message: string; field?: string }, string][] = [
    [named, 'must be a UPN'],
    [general, 'the role helpdesk may not do this'],
    [{ message: 'this account needs its TOTP code', field: 'code' }, 'this account needs its TOTP code'],
    [{ message: 'secret: must be Base32', field: 'secret' }, 'must be Base32'],
  ];
  for (const [failure, shown] of cases) assert.equal(problemText(failure), shown);
});

test('a failure goes beside the field it names, else above the form', () => {
  assert.equal(failureFor(named, 'username'), named);
  assert.equal(failureFor(named, 'displayName'), null);
  assert.equal(failureFor(null, 'username'), null);
  assert.equal(formLevel(named, ['username', 'displayName']), null);
  assert.equal(formLevel(named, ['secret']), named, 'a field the form does not have is shown above it');
  assert.equal(formLevel(general, ['username']), general);
  assert.equal(formLevel(null, ['username']), null);
});
