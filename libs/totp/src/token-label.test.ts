/** The rule for a hardware token's serial number, manufacturer and model. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_TOKEN_LABEL_LENGTH, tokenLabelProblem } from './token-label.js';

test('labels up to 128 characters without control characters are fine', () => {
  const cases: Array<[string, string | null]> = [
    ['', null],
    ['SN-1234', null],
    ['Contoso, Inc. "Pro" – Modell ü', null],
    ['🔑 key', null],
    ['x'.repeat(MAX_TOKEN_LABEL_LENGTH), null],
    ['x'.repeat(MAX_TOKEN_LABEL_LENGTH + 1), 'must be at most 128 characters'],
    ['two\nlines', 'must not contain control characters'],
    ['tab\there', 'must not contain control characters'],
    ['nul\u0000', 'must not contain control characters'],
    ['del\u007f', 'must not contain control characters'],
    ['c1\u0085', 'must not contain control characters'],
  ];
  for (const [value, problem] of cases) assert.equal(tokenLabelProblem(value), problem, JSON.stringify(value));
});
