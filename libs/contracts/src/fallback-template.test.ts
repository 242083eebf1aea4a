import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeFor, renderTemplate, unknownPlaceholders } from './fallback-template.js';

const values = { phone: '+41 79 123&45', code: '012345', user: 'a"b\\c@example.com' };

const cases: Array<[string, string, 'form' | 'json' | 'text', string]> = [
  ['form body (Twilio)', 'To={phone}&Body=Code {code}', 'form', 'To=%2B41%2079%20123%2645&Body=Code 012345'],
  ['json body', '{"to":"{phone}","text":"{code} for {user}"}', 'json', '{"to":"+41 79 123&45","text":"012345 for a\\"b\\\\c@example.com"}'],
  ['plain text', 'Code {code} for {user}', 'text', 'Code 012345 for a"b\\c@example.com'],
  ['unknown placeholder kept', 'Hi {name}, {code}', 'text', 'Hi {name}, 012345'],
  ['repeated placeholder', '{code}{code}', 'form', '012345012345'],
  ['no placeholder', 'static', 'json', 'static'],
];

for (const [name, template, mode, expected] of cases) {
  test(`renderTemplate: ${name}`, () => {
    assert.equal(renderTemplate(template, values, mode), expected);
  });
}

test('renderTemplate: a value that looks like a placeholder is not expanded again', () => {
  assert.equal(renderTemplate('{user} {code}', { user: '{code}', code: '1' }, 'text'), '{code} 1');
});

test('unknownPlaceholders lists what the values do not fill', () => {
  assert.deepEqual(unknownPlaceholders('{phone} {code} {pin} {user} {x}', ['phone', 'code', 'user']), ['pin', 'x']);
  assert.deepEqual(unknownPlaceholders('none', ['code']), []);
});

test('escapeFor maps the content types', () => {
  assert.equal(escapeFor('application/x-www-form-urlencoded'), 'form');
  assert.equal(escapeFor('application/json'), 'json');
  assert.equal(escapeFor('text/plain'), 'text');
});
