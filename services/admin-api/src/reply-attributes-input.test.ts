/** Reply attributes from an admin: canonical names and typed values, or a 400 naming the field. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDictionaries } from '@tollgate/radius-dictionary';
import { ApiError } from './api-error.js';
import { checkReplyAttributes } from './reply-attributes-input.js';

const dictionary = loadDictionaries();

test('reply attributes input: valid ones come back with canonical names and typed values', () => {
  assert.deepEqual(
    checkReplyAttributes(dictionary, [
      { name: 'fortinet-group-name', value: 'admins' },
      { name: 'Service-Type', value: 'Framed-User' },
      { name: 'Session-Timeout', value: '3600' },
    ]),
    [
      { name: 'Fortinet-Group-Name', value: 'admins' },
      { name: 'Service-Type', value: 2 },
      { name: 'Session-Timeout', value: 3600 },
    ],
  );
});

const refused: Array<[string, string | number, string, RegExp]> = [
  ['Fortinet-Group', 'x', 'replyAttributes.1.name', /not in the RADIUS dictionary/],
  ['Message-Authenticator', '0x00', 'replyAttributes.1.name', /set by the gateway/],
  ['User-Password', 'x', 'replyAttributes.1.name', /cannot be sent/],
  ['Session-Timeout', -5, 'replyAttributes.1.value', /between 0 and/],
  ['Framed-IP-Address', '10.0.0', 'replyAttributes.1.value', /IPv4/],
  ['Filter-Id', 'x'.repeat(254), 'replyAttributes.1.value', /at most 253/],
];
for (const [name, value, field, message] of refused) {
  test(`reply attributes input: ${name} = ${String(value).slice(0, 20)} is a 400 on ${field}`, () => {
    assert.throws(
      () =>
        checkReplyAttributes(dictionary, [
          { name: 'Filter-Id', value: 'ok' },
          { name, value },
        ]),
      (error: unknown) => {
        assert.ok(error instanceof ApiError);
        assert.equal(error.status, 400);
        assert.equal(error.field, field);
        assert.match(error.message, message);
        return true;
      },
    );
  });
}
