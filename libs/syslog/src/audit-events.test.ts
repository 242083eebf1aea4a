import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminChangeMessage, decisionMessage } from './audit-events.js';
import { formatRfc5424 } from './rfc5424.js';
import { parseRfc5424 } from './parse-rfc5424.js';

const decision = {
  requestId: 'r-1',
  username: 'alice',
  upn: 'alice@contoso.com',
  client: 'vpn-1',
  clientAddress: '192.0.2.10',
  decision: 'reject' as const,
  reason: 'otp.invalid',
  aadsts: 50076,
  latencyMs: 12.4,
};

function roundTrip(message: ReturnType<typeof decisionMessage>) {
  return parseRfc5424(
    formatRfc5424({ facility: 'authpriv', timestamp: new Date(0), hostname: 'h', appName: 'tollgate', procId: '1', ...message }),
  );
}

test('a decision carries the audit line\'s facts, msgid "decision"', () => {
  const parsed = roundTrip(decisionMessage(decision));
  assert.equal(parsed.msgId, 'decision');
  assert.deepEqual(parsed.structuredData['decision@32473'], {
    requestId: 'r-1',
    user: 'alice',
    upn: 'alice@contoso.com',
    client: 'vpn-1',
    clientAddress: '192.0.2.10',
    decision: 'reject',
    reason: 'otp.invalid',
    aadsts: '50076',
    latencyMs: '12',
  });
  assert.equal(parsed.message, 'reject alice@contoso.com from vpn-1: otp.invalid');
});

test("severity: accept is info, a user's reject notice, a system's trouble warning", () => {
  assert.equal(decisionMessage({ ...decision, decision: 'accept', reason: 'ok' }).severity, 'info');
  assert.equal(decisionMessage(decision).severity, 'notice');
  for (const reason of ['timeout', 'verifier.unavailable', 'entra.unavailable', 'internal_error'])
    assert.equal(decisionMessage({ ...decision, reason }).severity, 'warning', reason);
});

test('an admin change: actor, action, target and details, never a secret even if one is passed', () => {
  const message = adminChangeMessage({
    actor: 'api-token',
    action: 'radius_client.create',
    target: 'c-1',
    details: {
      name: 'vpn-1',
      address: '192.0.2.0/24',
      requireMessageAuthenticator: true,
      changed: ['name', 'address'],
      secret: 'shared-secret-xyz',
      nested: { clientSecret: 'cs-abc' },
    },
  });
  const text = formatRfc5424({ facility: 'authpriv', timestamp: new Date(0), hostname: 'h', appName: 'tollgate', procId: '1', ...message });
  assert.ok(!text.includes('shared-secret-xyz') && !text.includes('cs-abc'), text);
  const parsed = parseRfc5424(text);
  assert.equal(parsed.msgId, 'admin');
  assert.equal(parsed.severity, 5);
  const sd = parsed.structuredData['admin@32473']!;
  assert.equal(sd.actor, 'api-token');
  assert.equal(sd.action, 'radius_client.create');
  assert.equal(sd.target, 'c-1');
  assert.equal(sd.requireMessageAuthenticator, 'true');
  assert.equal(sd.changed, 'name,address');
  assert.equal(sd.secret, '[redacted]');
  assert.equal(parsed.message, 'api-token radius_client.create c-1');
});

test('an admin change names the role, source address and outcome when given, and a detail cannot override them', () => {
  const message = adminChangeMessage({
    actor: 'ops-token',
    role: 'helpdesk',
    sourceAddress: '192.0.2.7',
    outcome: 'denied',
    action: 'user.update',
    target: 'alice@contoso.com',
    details: { role: 'admin', outcome: 'success' },
  });
  const text = formatRfc5424({ facility: 'authpriv', timestamp: new Date(0), hostname: 'h', appName: 'tollgate', procId: '1', ...message });
  const sd = parseRfc5424(text).structuredData['admin@32473']!;
  assert.equal(sd.role, 'helpdesk');
  assert.equal(sd.sourceAddress, '192.0.2.7');
  assert.equal(sd.outcome, 'denied');
});
