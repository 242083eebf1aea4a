import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LINK_EMAIL_PLACEHOLDERS, LINK_SUBJECT_PLACEHOLDERS, unknownPlaceholders } from './link-template.js';

test('a link email may use {user} {url} {hours} {organisation} and nothing else', () => {
  const cases: [string, string[]][] = [
    ['Hello {user}, enrol at {url} within {hours} hours. {organisation}', []],
    ['no placeholder at all', []],
    ['{url} {url} {user}', []],
    ['Your code is {code}', ['code']],
    ['{User} and {URL}', ['User', 'URL']],
    ['{name} {name} {minutes}', ['name', 'minutes']],
    ['{}', ['']],
    ['a { brace } alone and {{url}}', []],
  ];
  for (const [template, unknown] of cases) assert.deepEqual(unknownPlaceholders(template, LINK_EMAIL_PLACEHOLDERS), unknown, template);
});

test('the subject may not carry the link', () => {
  assert.deepEqual(unknownPlaceholders('Enrol, {user}: {hours} hours ({organisation})', LINK_SUBJECT_PLACEHOLDERS), []);
  assert.deepEqual(unknownPlaceholders('Your link: {url}', LINK_SUBJECT_PLACEHOLDERS), ['url']);
});
