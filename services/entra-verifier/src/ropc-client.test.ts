/** parseWithoutTokens: tokens are gone from the parsed body before anything else sees it. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseWithoutTokens } from './ropc-client.js';

describe('parseWithoutTokens', () => {
  const cases: Array<[string, string, unknown]> = [
    [
      'tokens are overwritten, the rest kept',
      JSON.stringify({ token_type: 'Bearer', access_token: 'eyJ.a', id_token: 'eyJ.i', refresh_token: 'r', expires_in: 3599 }),
      { token_type: 'Bearer', access_token: '[dropped]', id_token: '[dropped]', refresh_token: '[dropped]', expires_in: 3599 },
    ],
    ['empty or odd token fields become null', JSON.stringify({ access_token: '', id_token: 5 }), { access_token: null, id_token: null }],
    [
      'an error body is untouched',
      JSON.stringify({ error: 'invalid_grant', error_codes: [50126] }),
      { error: 'invalid_grant', error_codes: [50126] },
    ],
    ['HTML -> null', '<html><body>502 Bad Gateway</body></html>', null],
    ['empty -> null', '', null],
    ['an array -> null', '[1,2]', null],
    ['a string -> null', '"eyJ.a"', null],
    ['null -> null', 'null', null],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => assert.deepEqual(parseWithoutTokens(text), expected));
  }
});
