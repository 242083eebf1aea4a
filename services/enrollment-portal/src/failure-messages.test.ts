import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PortalFailures } from '@tollgate/contracts';
import { FAILURE_MESSAGES } from './failure-messages.js';

test('every failure of the contract has its own message, title and a 4xx/5xx status', () => {
  const messages = new Set<string>();
  for (const reason of PortalFailures) {
    const m = FAILURE_MESSAGES[reason];
    assert.ok(m, reason);
    assert.ok(m.title.length > 5 && m.message.length > 20, reason);
    assert.ok(m.status >= 400 && m.status < 600, reason);
    messages.add(m.message);
  }
  assert.equal(messages.size, new Set(PortalFailures).size, 'no two failures share a message');
});

for (const [reason, status, startAgain] of [
  ['unavailable', 503, true],
  ['rate_limited', 429, true],
  ['session_expired', 401, true],
  ['link_expired', 410, false],
  ['link_used', 410, false],
  ['mfa_not_performed', 403, true],
  ['csrf', 403, true],
  ['busy', 429, true],
  ['sign_in_state', 400, true],
] as const) {
  test(`${reason}: ${status}${startAgain ? ', with a start-again link' : ''}`, () => {
    assert.equal(FAILURE_MESSAGES[reason].status, status);
    assert.equal(FAILURE_MESSAGES[reason].startAgain, startAgain);
  });
}

test('a message never says why beyond what the user can act on (no reason codes shown)', () => {
  for (const [reason, m] of Object.entries(FAILURE_MESSAGES)) {
    assert.ok(!m.message.includes(reason) || !reason.includes('_'), reason);
    assert.ok(!/AADSTS|stack|undefined/.test(m.message), reason);
  }
});
