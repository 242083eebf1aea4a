import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unknownLinkPlaceholders } from './link-template.js';

test('a link email template may use {user} {url} {hours} {organisation} and nothing else', () => {
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
  for (const [template, unknown] of cases) assert.deepEqual(unknownLinkPlaceholders(template), unknown, template);
});
