/** The token-endpoint span: status, AADSTS code and outcome on it; user, password and token nowhere. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { trace } from '@opentelemetry/api';
import { startEntraStandIn, startInMemoryTracing, STAND_IN_TOKEN_PREFIX } from '@tollgate/testkit';
import { RopcClient } from './ropc-client.js';
import { aadstsLabel } from './metrics.js';

const tracing = await startInMemoryTracing();
const PASSWORD = 'Span-Test-Pw-9911';
const standIn = await startEntraStandIn({
  users: { 'mfa@contoso.com': { password: PASSWORD, kind: 'mfa' }, 'nomfa@contoso.com': { password: PASSWORD, kind: 'no_mfa' } },
});
const client = new RopcClient({ timeoutMs: 1000, maxConnections: 4 });
after(async () => {
  await client.close();
  await standIn.close();
  await tracing.shutdown();
});

const call = (username: string, password = PASSWORD) =>
  trace.getTracer('test').startActiveSpan('verify', async (span) => {
    try {
      return await client.call({
        origin: standIn.url,
        path: `/${standIn.tenant}/oauth2/v2.0/token`,
        clientId: standIn.clientId,
        scope: 'openid',
        username,
        password,
      });
    } finally {
      span.end();
    }
  });

test('one CLIENT span per call, child of the verification, with status, AADSTS code and outcome', async () => {
  tracing.reset();
  await call('mfa@contoso.com');
  await call('mfa@contoso.com', 'wrong-password');
  await call('nomfa@contoso.com');
  const spans = tracing.spans().filter((s) => s.name === 'POST token endpoint');
  assert.equal(spans.length, 3);
  assert.deepEqual(
    spans.map((s) => [s.attributes['http.response.status_code'], s.attributes['tollgate.aadsts'], s.attributes['tollgate.entra.outcome']]),
    [
      [400, 50076, 'password_ok_mfa'],
      [400, 50126, 'invalid_credentials'],
      [200, undefined, 'no_mfa'],
    ],
  );
  const parents = tracing
    .spans()
    .filter((s) => s.name === 'verify')
    .map((s) => s.spanContext().spanId);
  assert.deepEqual(
    spans.map((s) => s.parentSpanContext?.spanId),
    parents,
  );
  assert.equal(spans[0]!.attributes['server.address'], '127.0.0.1');
  const text = JSON.stringify(tracing.spans().map((s) => [s.name, s.attributes, s.events, s.status]));
  for (const leak of [PASSWORD, 'wrong-password', 'mfa@contoso.com', STAND_IN_TOKEN_PREFIX, standIn.tenant])
    assert.ok(!text.includes(leak), `${leak} in a span`);
});

test('the aadsts metric label is a known code, "other", or empty', () => {
  assert.equal(aadstsLabel(50076), '50076');
  assert.equal(aadstsLabel(50126), '50126');
  assert.equal(aadstsLabel(99999999), 'other');
  assert.equal(aadstsLabel(undefined), '');
});
