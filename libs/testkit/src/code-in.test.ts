import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeIn } from './smtp-receiver.js';

const CASES: Array<[string, string, string]> = [
  ['a body alone', 'Your sign-in code is 123456. It is valid for 5 minutes.', '123456'],
  [
    'a whole message whose Message-ID holds six digits in a row after the subject',
    'Subject: Your sign-in code\r\nMessage-ID: <123456ab-cdef@example.org>\r\nDate: Thu, 03 Dec 2026\r\n\r\nYour sign-in code is 654321.',
    '654321',
  ],
  ['a message with bare LF line ends', 'Subject: code\nX-Id: 111111\n\nYour code: 222222', '222222'],
  ['an SMS body with no "code" word before the digits', 'To=+15005550006&Body=Use 987654 to sign in', '987654'],
];

for (const [what, text, code] of CASES) {
  test(`codeIn: ${what}`, () => assert.equal(codeIn(text), code));
}

test('codeIn: no six digits in the body is an error, even when a header has some', () => {
  assert.throws(() => codeIn('Message-ID: <123456@x>\r\n\r\nno code here'), /no code/);
});
