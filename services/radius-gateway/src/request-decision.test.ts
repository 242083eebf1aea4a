/** Decision replies and bus failures folded into accept/reject with a reason (fail closed). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BusError, subject, type DecideRequest } from '@tollgate/contracts';
import { MemoryBus } from '@tollgate/bus';
import { decisionFromReply, reasonForError, requestDecision } from './request-decision.js';

const replies: Array<[string, unknown, { decision: string; reason: string }]> = [
  ['accept', { decision: 'accept', reason: 'ok', upn: 'a@b.c' }, { decision: 'accept', reason: 'ok' }],
  ['reject with reason', { decision: 'reject', reason: 'otp.invalid' }, { decision: 'reject', reason: 'otp.invalid' }],
  ['accept with a reject reason', { decision: 'accept', reason: 'otp.invalid' }, { decision: 'reject', reason: 'internal_error' }],
  ['reject with reason ok', { decision: 'reject', reason: 'ok' }, { decision: 'reject', reason: 'internal_error' }],
  ['unknown decision', { decision: 'maybe', reason: 'ok' }, { decision: 'reject', reason: 'internal_error' }],
  ['unknown reason', { decision: 'reject', reason: 'because' }, { decision: 'reject', reason: 'internal_error' }],
  ['null', null, { decision: 'reject', reason: 'internal_error' }],
  ['a string', 'accept', { decision: 'reject', reason: 'internal_error' }],
];
for (const [name, reply, expected] of replies) {
  test(`decision from reply: ${name}`, () => {
    const decision = decisionFromReply(reply);
    assert.deepEqual({ decision: decision.decision, reason: decision.reason }, expected);
  });
}

const errors: Array<[unknown, string]> = [
  [new BusError('timeout', 'x'), 'timeout'],
  [new BusError('no_responders', 'x'), 'verifier.unavailable'],
  [new BusError('closed', 'x'), 'verifier.unavailable'],
  [new BusError('internal', 'x'), 'internal_error'],
  [new BusError('bad_request', 'x'), 'internal_error'],
  [new Error('boom'), 'internal_error'],
  ['weird', 'internal_error'],
];
for (const [error, reason] of errors) {
  test(`reason for error ${error instanceof BusError ? error.code : String(error)} is ${reason}`, () => {
    assert.equal(reasonForError(error), reason);
  });
}

const request: DecideRequest = {
  requestId: 'r1',
  username: 'alice',
  password: 'pw123456',
  client: { id: 'c1', name: 'nas', address: '127.0.0.1' },
};

test('request decision: over a MemoryBus, no responder, and a responder past the deadline', async () => {
  const bus = new MemoryBus();
  const decide = subject('t', 'decide');
  assert.deepEqual(await requestDecision(bus, decide, request, 200), { decision: 'reject', reason: 'verifier.unavailable' });

  await bus.serve({
    name: 'aggregator',
    version: '1.0.0',
    endpoints: [
      {
        name: 'decide',
        subject: decide,
        handler: async (payload) => {
          const p = payload as DecideRequest;
          if (p.username === 'slow') await new Promise((r) => setTimeout(r, 400));
          return p.username === 'alice' ? { decision: 'accept', reason: 'ok' } : { decision: 'reject', reason: 'user.unknown' };
        },
      },
    ],
  });
  assert.deepEqual(await requestDecision(bus, decide, request, 200), { decision: 'accept', reason: 'ok' });
  assert.deepEqual(await requestDecision(bus, decide, { ...request, username: 'bob' }, 200), { decision: 'reject', reason: 'user.unknown' });
  const started = Date.now();
  assert.deepEqual(await requestDecision(bus, decide, { ...request, username: 'slow' }, 150), { decision: 'reject', reason: 'timeout' });
  assert.ok(Date.now() - started < 350, 'answered at the deadline, not when the responder finished');
  await bus.drain();
});

test('request decision: our own deadline fires when the transport never does', async () => {
  const hanging = { request: () => new Promise<never>(() => undefined) };
  const started = Date.now();
  assert.deepEqual(await requestDecision(hanging, 'x', request, 100), { decision: 'reject', reason: 'timeout' });
  assert.ok(Date.now() - started < 300);
});
