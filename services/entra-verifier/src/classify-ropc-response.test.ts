/** Tables of token-endpoint answers and the outcome each must give; unknown answers fail closed. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classifyRopcResponse, parseRetryAfter, type RopcClassification } from './classify-ropc-response.js';
import { KNOWN_AADSTS_CODES, outcomeForAadsts, statusesFor } from './aadsts-codes.js';

const CORRELATION = '0b1c2d3e-4f50-4a61-8b72-93a4b5c6d7e8';

/** Microsoft's documented error body shape. */
function errorBody(code: number | unknown[], error = 'invalid_grant', extra: Record<string, unknown> = {}): Record<string, unknown> {
  const codes = Array.isArray(code) ? code : [code];
  return {
    error,
    error_description: `AADSTS${String(codes[0])}: Something. Trace ID: 1 Correlation ID: ${CORRELATION} Timestamp: 2024-01-01 00:00:00Z`,
    error_codes: codes,
    timestamp: '2024-01-01 00:00:00Z',
    trace_id: '9a8b7c6d-0000-4000-8000-000000000000',
    correlation_id: CORRELATION,
    error_uri: `https://login.microsoftonline.com/error?code=${String(codes[0])}`,
    ...extra,
  };
}

// Every code of docs/entra.md's table, with the outcome the table gives it.
const REFERENCE_TABLE: Array<[number, RopcClassification['outcome']]> = [
  [50076, 'password_ok_mfa'],
  [50079, 'password_ok_mfa'],
  [50158, 'password_ok_mfa'],
  [50126, 'invalid_credentials'],
  [50034, 'invalid_credentials'],
  [50053, 'locked'],
  [50057, 'disabled'],
  [50055, 'password_expired'],
  [50144, 'password_expired'],
  [53003, 'blocked'],
  [50131, 'blocked'],
  [530035, 'blocked'],
  [53000, 'blocked'],
  [53001, 'blocked'],
  [53002, 'blocked'],
  [53004, 'blocked'],
  [530032, 'blocked'],
  [65001, 'config_error'],
  [7000218, 'config_error'],
  [700016, 'config_error'],
  [700025, 'config_error'],
  [7000215, 'config_error'],
  [7000222, 'config_error'],
  [90002, 'config_error'],
  [50128, 'config_error'],
  [50059, 'config_error'],
  [9001023, 'config_error'],
  [50196, 'throttled'],
  ...Array.from({ length: 14 }, (_, i): [number, RopcClassification['outcome']] => [80001 + i, 'unavailable']),
];

describe('classifyRopcResponse: every code of the reference table (HTTP 400)', () => {
  for (const [code, outcome] of REFERENCE_TABLE) {
    it(`AADSTS${code} -> ${outcome}`, () => {
      assert.deepEqual(classifyRopcResponse({ status: 400, body: errorBody(code) }), {
        outcome,
        aadsts: code,
        correlationId: CORRELATION,
      });
    });
  }

  it('the code table has exactly the reference codes', () => {
    assert.deepEqual(new Map(KNOWN_AADSTS_CODES), new Map(REFERENCE_TABLE));
  });
});

describe('classifyRopcResponse: variants', () => {
  const now = Date.parse('2024-05-01T12:00:00Z');
  const cases: Array<{ name: string; status: number; body: unknown; retryAfter?: string | string[]; expected: RopcClassification }> = [
    {
      name: '200 with tokens -> no_mfa',
      status: 200,
      body: { token_type: 'Bearer', scope: 'openid', expires_in: 3599, access_token: 'a', id_token: 'i', refresh_token: 'r' },
      expected: { outcome: 'no_mfa' },
    },
    {
      name: '200 with only an id_token -> no_mfa',
      status: 200,
      body: { token_type: 'Bearer', id_token: 'i' },
      expected: { outcome: 'no_mfa' },
    },
    {
      name: '200 with empty tokens -> unavailable',
      status: 200,
      body: { access_token: '', id_token: '' },
      expected: { outcome: 'unavailable' },
    },
    { name: '200 without tokens -> unavailable', status: 200, body: { token_type: 'Bearer' }, expected: { outcome: 'unavailable' } },
    {
      name: '200 with an error body -> unavailable',
      status: 200,
      body: errorBody(50076),
      expected: { outcome: 'unavailable', aadsts: 50076, correlationId: CORRELATION },
    },
    { name: '200 not JSON -> unavailable', status: 200, body: null, expected: { outcome: 'unavailable' } },
    {
      name: '50076 with interaction_required',
      status: 400,
      body: errorBody(50076, 'interaction_required'),
      expected: { outcome: 'password_ok_mfa', aadsts: 50076, correlationId: CORRELATION },
    },
    {
      name: '50076 with invalid_grant + suberror basic_action',
      status: 400,
      body: errorBody(50076, 'invalid_grant', { suberror: 'basic_action', claims: '{"access_token":{"capolids":{"essential":true}}}' }),
      expected: { outcome: 'password_ok_mfa', aadsts: 50076, correlationId: CORRELATION },
    },
    {
      name: '50079 (MFA registration) with interaction_required',
      status: 400,
      body: errorBody(50079, 'interaction_required'),
      expected: { outcome: 'password_ok_mfa', aadsts: 50079, correlationId: CORRELATION },
    },
    {
      name: '65001 invalid_grant + suberror consent_required -> config_error',
      status: 400,
      body: errorBody(65001, 'invalid_grant', { suberror: 'consent_required' }),
      expected: { outcome: 'config_error', aadsts: 65001, correlationId: CORRELATION },
    },
    {
      name: '7000218 as invalid_client 401 -> config_error',
      status: 401,
      body: errorBody(7000218, 'invalid_client'),
      expected: { outcome: 'config_error', aadsts: 7000218, correlationId: CORRELATION },
    },
    {
      name: 'unknown code with interaction_required -> unavailable, never MFA proof',
      status: 400,
      body: errorBody(50074, 'interaction_required'),
      expected: { outcome: 'unavailable', aadsts: 50074, correlationId: CORRELATION },
    },
    {
      name: 'unknown code with invalid_grant/basic_action -> unavailable',
      status: 400,
      body: errorBody(50097, 'invalid_grant', { suberror: 'basic_action' }),
      expected: { outcome: 'unavailable', aadsts: 50097, correlationId: CORRELATION },
    },
    {
      name: 'interaction_required without error_codes -> unavailable',
      status: 400,
      body: { error: 'interaction_required', error_description: 'AADSTS50076: MFA required' },
      expected: { outcome: 'unavailable' },
    },
    {
      name: 'the description is never parsed: it says 50076, the codes say 50126',
      status: 400,
      body: { ...errorBody(50126), error_description: 'AADSTS50076: you must use multi-factor authentication' },
      expected: { outcome: 'invalid_credentials', aadsts: 50126, correlationId: CORRELATION },
    },
    {
      name: 'MFA code next to a wrong-password code -> the non-MFA one decides',
      status: 400,
      body: errorBody([50076, 50126]),
      expected: { outcome: 'invalid_credentials', aadsts: 50126, correlationId: CORRELATION },
    },
    {
      name: 'MFA code next to an unknown code -> unavailable',
      status: 400,
      body: errorBody([50076, 70002]),
      expected: { outcome: 'unavailable', aadsts: 70002, correlationId: CORRELATION },
    },
    {
      name: 'two MFA codes -> password_ok_mfa with the first',
      status: 400,
      body: errorBody([50079, 50076]),
      expected: { outcome: 'password_ok_mfa', aadsts: 50079, correlationId: CORRELATION },
    },
    {
      name: 'codes as strings are not understood -> unavailable',
      status: 400,
      body: errorBody(['50076']),
      expected: { outcome: 'unavailable', correlationId: CORRELATION },
    },
    {
      name: 'an odd element spoils the whole list -> unavailable',
      status: 400,
      body: errorBody([50076, '50126']),
      expected: { outcome: 'unavailable', correlationId: CORRELATION },
    },
    {
      name: 'empty error_codes -> unavailable',
      status: 400,
      body: errorBody([]),
      expected: { outcome: 'unavailable', correlationId: CORRELATION },
    },
    {
      name: '429 with Retry-After seconds -> throttled',
      status: 429,
      body: errorBody(50196, 'temporarily_unavailable'),
      retryAfter: '7',
      expected: { outcome: 'throttled', aadsts: 50196, retryAfterSeconds: 7, correlationId: CORRELATION },
    },
    {
      name: '429 with Retry-After HTTP-date -> throttled, seconds until then',
      status: 429,
      body: null,
      retryAfter: 'Wed, 01 May 2024 12:00:30 GMT',
      expected: { outcome: 'throttled', retryAfterSeconds: 30 },
    },
    { name: '429 without Retry-After or body -> throttled', status: 429, body: null, expected: { outcome: 'throttled' } },
    {
      name: '429 even with an MFA code -> throttled',
      status: 429,
      body: errorBody(50076),
      retryAfter: ['3'],
      expected: { outcome: 'throttled', aadsts: 50076, retryAfterSeconds: 3, correlationId: CORRELATION },
    },
    {
      name: '400 with 50196 and Retry-After -> throttled with seconds',
      status: 400,
      body: errorBody(50196),
      retryAfter: '2',
      expected: { outcome: 'throttled', aadsts: 50196, retryAfterSeconds: 2, correlationId: CORRELATION },
    },
    { name: 'HTML 502 (body not JSON) -> unavailable', status: 502, body: null, expected: { outcome: 'unavailable' } },
    {
      name: '503 with a JSON error -> unavailable',
      status: 503,
      body: errorBody(50076),
      expected: { outcome: 'unavailable', aadsts: 50076, correlationId: CORRELATION },
    },
    { name: '500 with an empty body -> unavailable', status: 500, body: null, expected: { outcome: 'unavailable' } },
    { name: '400 with an empty body -> unavailable', status: 400, body: null, expected: { outcome: 'unavailable' } },
    { name: '302 redirect -> unavailable', status: 302, body: null, expected: { outcome: 'unavailable' } },
    { name: '404 not JSON -> unavailable', status: 404, body: null, expected: { outcome: 'unavailable' } },
    { name: 'a JSON array body -> unavailable', status: 400, body: [50076], expected: { outcome: 'unavailable' } },
    { name: 'a JSON string body -> unavailable', status: 400, body: 'AADSTS50076', expected: { outcome: 'unavailable' } },
    {
      name: 'a correlation id that is not a GUID is not echoed',
      status: 400,
      body: { ...errorBody(50126), correlation_id: 'bad <script>' },
      expected: { outcome: 'invalid_credentials', aadsts: 50126 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(
        classifyRopcResponse({ status: c.status, body: c.body, retryAfterHeader: c.retryAfter ?? null, nowMs: now }),
        c.expected,
      );
    });
  }

  it('no unknown code is ever password_ok_mfa', () => {
    const mfa = new Set([50076, 50079, 50158]);
    for (let code = 1; code < 1_000_000; code += 997) {
      if (mfa.has(code)) continue;
      const result = classifyRopcResponse({ status: 400, body: errorBody(code, 'interaction_required') });
      assert.notEqual(result.outcome, 'password_ok_mfa', `code ${code}`);
      if (outcomeForAadsts(code) === undefined) assert.equal(result.outcome, 'unavailable');
    }
  });
});

describe('classifyRopcResponse: the HTTP status each outcome needs', () => {
  // The audit's case: a 401 carrying 50076 was counted as the password proven.
  const cases: Array<[number, number, RopcClassification['outcome']]> = [
    [400, 50076, 'password_ok_mfa'],
    [401, 50076, 'unavailable'],
    [403, 50076, 'unavailable'],
    [404, 50076, 'unavailable'],
    [409, 50079, 'unavailable'],
    [422, 50158, 'unavailable'],
    [499, 50076, 'unavailable'],
    [400, 50126, 'invalid_credentials'],
    [401, 50126, 'unavailable'],
    [403, 50053, 'unavailable'],
    [401, 50057, 'unavailable'],
    [403, 53003, 'unavailable'],
    [400, 7000215, 'config_error'],
    [401, 7000215, 'config_error'],
    [403, 7000215, 'unavailable'],
    [401, 50196, 'unavailable'],
  ];
  for (const [status, code, outcome] of cases) {
    it(`${status} with AADSTS${code} -> ${outcome}`, () => {
      assert.deepEqual(classifyRopcResponse({ status, body: errorBody(code) }), { outcome, aadsts: code, correlationId: CORRELATION });
    });
  }

  it('two MFA codes in a 401 are no proof either', () => {
    assert.equal(classifyRopcResponse({ status: 401, body: errorBody([50076, 50079]) }).outcome, 'unavailable');
  });

  it('every known code gives its outcome in exactly the statuses the table names, and unavailable in every other 4xx', () => {
    for (const [code, outcome] of KNOWN_AADSTS_CODES) {
      for (let status = 400; status < 500; status++) {
        if (status === 429) continue; // throttled whatever the body says
        const expected = statusesFor(outcome).includes(status) ? outcome : 'unavailable';
        assert.equal(classifyRopcResponse({ status, body: errorBody(code) }).outcome, expected, `${status} with ${code}`);
      }
    }
  });

  it('only a 400 can prove a password', () => {
    assert.deepEqual(statusesFor('password_ok_mfa'), [400]);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2024-05-01T12:00:00Z');
  const cases: Array<[string | string[] | null | undefined, number | undefined]> = [
    ['1', 1],
    [' 120 ', 120],
    ['0', 0],
    [['5', '9'], 5],
    ['99999999', 86_400],
    ['Wed, 01 May 2024 12:01:00 GMT', 60],
    ['Wed, 01 May 2024 11:00:00 GMT', 0],
    ['Wed, 01 May 2024 12:00:00.500 GMT', undefined],
    ['-5', undefined],
    ['1.5', undefined],
    ['soon', undefined],
    ['2024-05-01T12:01:00Z', undefined],
    ['', undefined],
    [null, undefined],
    [undefined, undefined],
  ];
  for (const [header, expected] of cases) {
    it(`${JSON.stringify(header)} -> ${String(expected)}`, () => {
      assert.equal(parseRetryAfter(header, now), expected);
    });
  }
});
