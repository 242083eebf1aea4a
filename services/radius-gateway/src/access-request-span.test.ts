import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind } from '@opentelemetry/api';
import { startInMemoryTracing } from '@tollgate/testkit';
import { noteDecision, noteDrop, noteOther, withDatagramSpan } from './access-request-span.js';

const tracing = await startInMemoryTracing();
after(() => tracing.shutdown());

const last = () => tracing.spans().at(-1)!;

test('an answered Access-Request: a root SERVER span with client, decision and reason; no user name unless allowed', async () => {
  tracing.reset();
  await withDatagramSpan(async () => noteDecision('vpn-1', { decision: 'reject', reason: 'otp.invalid' }, 'alice', false));
  const span = last();
  assert.equal(span.name, 'radius Access-Request');
  assert.equal(span.kind, SpanKind.SERVER);
  assert.equal(span.parentSpanContext, undefined);
  assert.deepEqual(
    [
      span.attributes['radius.client'],
      span.attributes['tollgate.decision'],
      span.attributes['tollgate.reason'],
      span.attributes['enduser.id'],
    ],
    ['vpn-1', 'reject', 'otp.invalid', undefined],
  );
  assert.equal(span.status.code, 0, "a user's reject is not an error");

  await withDatagramSpan(async () => noteDecision('vpn-1', { decision: 'accept', reason: 'ok' }, 'alice', true));
  assert.equal(last().attributes['enduser.id'], 'alice');
});

test('a system failure marks the span as an error', async () => {
  tracing.reset();
  await withDatagramSpan(async () => noteDecision('vpn-1', { decision: 'reject', reason: 'timeout' }, 'alice', false));
  assert.deepEqual(last().status, { code: 2, message: 'timeout' });
});

test('drops, Status-Server and retransmissions are named for what they were', async () => {
  tracing.reset();
  await withDatagramSpan(async () => noteDrop('bad_message_authenticator', 'vpn-1'));
  assert.equal(last().name, 'radius datagram dropped');
  assert.deepEqual([last().attributes['tollgate.drop.cause'], last().attributes['radius.client']], ['bad_message_authenticator', 'vpn-1']);
  await withDatagramSpan(async () => noteOther('Status-Server', 'vpn-1'));
  assert.equal(last().name, 'radius Status-Server');
  await withDatagramSpan(async () => noteOther('retransmission', 'vpn-1'));
  assert.equal(last().name, 'radius Access-Request retransmission');
});

test('the span ends only when the work (handling and sending) is done, and errors still end it', async () => {
  tracing.reset();
  let sent = false;
  await withDatagramSpan(async () => {
    await new Promise((r) => setTimeout(r, 20));
    sent = true;
  });
  assert.ok(sent);
  assert.ok(last().duration[1] >= 15_000_000 || last().duration[0] > 0);
  await assert.rejects(withDatagramSpan(async () => Promise.reject(new Error('x'))));
  assert.equal(tracing.spans().length, 2);
});
