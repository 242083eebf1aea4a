/** zod problems become one 400 naming the field, in words, without the submitted value. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { fromZodError } from './api-error.js';

const Schema = z.strictObject({
  name: z.string().min(3),
  count: z.number().int().min(1).max(9),
  digits: z.literal([6, 8]).optional(),
  mode: z.enum(['a', 'b']).optional(),
  nested: z.strictObject({ flag: z.boolean() }).optional(),
  secret: z
    .string()
    .regex(/^[A-Z]+$/, 'must be upper case letters')
    .optional(),
});

test('names the field and the problem of the first issue', () => {
  const cases: Array<[unknown, string, string]> = [
    [{ count: 1 }, 'name', 'name: is required'],
    [{ name: 5, count: 1 }, 'name', 'name: must be a string'],
    [{ name: 'ab', count: 1 }, 'name', 'name: must be at least 3 characters'],
    [{ name: 'abc', count: 10 }, 'count', 'count: must be at most 9'],
    [{ name: 'abc', count: 1.5 }, 'count', 'count: must be an integer'],
    [{ name: 'abc', count: 1, digits: 7 }, 'digits', 'digits: must be one of 6, 8'],
    [{ name: 'abc', count: 1, mode: 'c' }, 'mode', 'mode: must be one of a, b'],
    [{ name: 'abc', count: 1, extra: true }, 'extra', 'extra: is not a known field'],
    [{ name: 'abc', count: 1, nested: { flag: 'yes' } }, 'nested.flag', 'nested.flag: must be a boolean'],
    [{ name: 'abc', count: 1, nested: { flag: true, x: 1 } }, 'nested.x', 'nested.x: is not a known field'],
    [{ name: 'abc', count: 1, secret: 'lower-SECRET' }, 'secret', 'secret: must be upper case letters'],
    [[], 'body', 'body: must be an object'],
  ];
  for (const [input, field, message] of cases) {
    const result = Schema.safeParse(input);
    assert.equal(result.success, false);
    const error = fromZodError(result.error!, 'body');
    assert.equal(error.status, 400);
    assert.equal(error.field, field, JSON.stringify(input));
    assert.equal(error.message, message, JSON.stringify(input));
    assert.ok(!error.message.includes('lower-SECRET'));
  }
});
