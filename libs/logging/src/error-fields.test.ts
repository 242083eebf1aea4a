import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorFields } from './error-fields.js';

test('errorFields keeps the name and a string code, never the message', () => {
  const withCode = Object.assign(new Error('password authentication failed for "P@ss-1"'), { code: '28P01' });
  assert.deepEqual(errorFields(withCode), { name: 'Error', code: '28P01' });
  assert.deepEqual(errorFields(new TypeError('bad 123456')), { name: 'TypeError' });
  assert.deepEqual(errorFields(Object.assign(new Error('x'), { code: 42 })), { name: 'Error' });
  assert.deepEqual(errorFields('a thrown string'), { name: 'string' });
  assert.ok(!JSON.stringify(errorFields(withCode)).includes('P@ss-1'));
});
