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
  ['exempt accept', { decision: 'accept', reason: 'ok.exempt', upn: 'a@b.c' }, { decision: 'accept', reason: 'ok.exempt' }],
  ['reject with reason ok.exempt', { decision: 'reject', reason: 'ok.exempt' }, { decision: 'reject', reason: 'internal_error' }],
  [
    'reject for a client the groups do not allow',
    { decision: 'reject', reason: 'policy.client_not_allowed' },
    { decision: 'reject', reason: 'policy.client_not_allowed' },
  ],
  ['unknown decision', { decision: 'maybe', reason: 'ok' }, { decision: 'reject', reason: 'internal_error' }],
  ['unknown reason', { decision: 'reject', reason: 'because' }, { decision: 'reject', reason: 'internal_error' }],
  [
    'challenge with State and prompt',
    { decision: 'challenge', reason: 'challenge.issued', state: 'ab'.repeat(32), replyMessage: 'Enter the code' },
    { decision: 'challenge', reason: 'challenge.issued' },
  ],
  [
    'challenge again after a wrong code',
    { decision: 'challenge', reason: 'otp.invalid', state: 'ab'.repeat(32), replyMessage: 'Wrong code, try again' },
    { decision: 'challenge', reason: 'otp.invalid' },
  ],
  ['challenge without State', { decision: 'challenge', reason: 'challenge.issued' }, { decision: 'reject', reason: 'internal_error' }],
  [
    'challenge without prompt',
    { decision: 'challenge', reason: 'challenge.issued', state: 'ab'.repeat(32) },
    { decision: 'reject', reason: 'internal_error' },
  ],
  [
    'challenge with a State too short to be ours',
    { decision: 'challenge', reason: 'challenge.issued', state: 'ab'.repeat(8), replyMessage: 'Enter the code' },
    { decision: 'reject', reason: 'internal_error' },
  ],
  [
    'challenge with a reason that is no challenge reason',
    { decision: 'challenge', reason: 'ok', state: 'ab'.repeat(32), replyMessage: 'Enter the code' },
    { decision: 'reject', reason: 'internal_error' },
  ],
  [
    'accept carrying a State',
    { decision: 'accept', reason: 'ok', state: 'ab'.repeat(32) },
    { decision: 'reject', reason: 'internal_error' },
  ],
  [
    'reject with reason challenge.issued',
    { decision: 'reject', reason: 'challenge.issued' },
    { decision: 'reject', reason: 'internal_error' },
  ],
  [
    'reject with a challenge reason',
    { decision: 'reject', reason: 'challenge.replayed' },
    { decision: 'reject', reason: 'challenge.replayed' },
  ],
  ['null', null, { decision: 'reject', reason: 'internal_error' }],
  ['a string', 'accept', { decision: 'reject', reason: 'internal_error' }],
];
for (const [name, reply, expected] of replies) {
  test(`decision from reply: ${name}`, () => {
    const decision = decisionFromReply(reply);
    assert.deepEqual({ decision: decision.decision, reason: decision.reason }, expected);
  });
}

test('decision from reply: a challenge keeps its State and prompt, and no reply attributes', () => {
  const state = 'cd'.repeat(32);
  assert.deepEqual(
    decisionFromReply({
      decision: 'challenge',
      reason: 'challenge.issued',
      state,
      replyMessage: 'Enter the code',
      upn: 'a@b.c',
      replyAttributes: [{ name: 'Filter-Id', value: 'staff' }],
    }),
    { decision: 'challenge', reason: 'challenge.issued', upn: 'a@b.c', state, replyMessage: 'Enter the code' },
  );
});

test('decision from reply: an accept keeps its reply attributes, a reject drops them, too many break the contract', () => {
  const replyAttributes = [{ name: 'Filter-Id', value: 'staff' }];
  assert.deepEqual(decisionFromReply({ decision: 'accept', reason: 'ok', replyAttributes }).replyAttributes, replyAttributes);
  assert.deepEqual(decisionFromReply({ decision: 'accept', reason: 'ok.exempt', replyAttributes }).replyAttributes, replyAttributes);
  assert.equal(decisionFromReply({ decision: 'reject', reason: 'otp.invalid', replyAttributes }).replyAttributes, undefined);
  const many = Array.from({ length: 65 }, () => replyAttributes[0]);
  assert.deepEqual(decisionFromReply({ decision: 'accept', reason: 'ok', replyAttributes: many }), {
    decision: 'reject',
    reason: 'internal_error',
  });
});

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
  assert.deepEqual(await requestDecision(bus, decide, { ...request, username: 'bob' }, 200), {
    decision: 'reject',
    reason: 'user.unknown',
  });
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

/** A bus whose answers the test scripts call by call, recording what was asked. */
function scriptedBus(script: Array<(timeoutMs: number) => Promise<unknown>>) {
  const calls: Array<{ payload: DecideRequest; timeoutMs: number; at: number }> = [];
  const started = Date.now();
  return {
    calls,
    request: <T>(_subject: string, payload: unknown, options: { timeoutMs: number }): Promise<T> => {
      calls.push({ payload: payload as DecideRequest, timeoutMs: options.timeoutMs, at: Date.now() - started });
      return script[calls.length - 1]!(options.timeoutMs) as Promise<T>;
    },
  };
}
/** A replica that died holding the request: the bus gives up at the request's timeout. */
const never = (timeoutMs: number) => new Promise<never>((_, reject) => setTimeout(() => reject(new BusError('timeout', 'x')), timeoutMs));
const accept = async () => ({ decision: 'accept', reason: 'ok' });

test('reserve: a decision stuck on a dead replica is asked once more with the time kept back', async () => {
  const bus = scriptedBus([never, accept]);
  const started = Date.now();
  const keyed = { ...request, requestKey: 'a1b2c3d4e5f60718' };
  assert.deepEqual(await requestDecision(bus, 'x', keyed, 500, 300), { decision: 'accept', reason: 'ok' });
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 195 && elapsed < 400, `answered after the first budget ran out (${elapsed} ms)`);
  assert.equal(bus.calls.length, 2);
  assert.equal(bus.calls[0]!.payload.budgetMs, 200, 'a live aggregator answers within the first budget');
  assert.ok(bus.calls[1]!.payload.budgetMs! <= 300 && bus.calls[1]!.payload.budgetMs! > 250);
  for (const call of bus.calls) assert.equal(call.payload.requestKey, keyed.requestKey);
});

test('reserve: nobody listening at first, asked again after a short pause', async () => {
  const bus = scriptedBus([async () => Promise.reject(new BusError('no_responders', 'x')), accept]);
  const started = Date.now();
  assert.deepEqual(await requestDecision(bus, 'x', request, 1000, 600), { decision: 'accept', reason: 'ok' });
  assert.equal(bus.calls.length, 2);
  assert.ok(Date.now() - started < 300, 'a fast failure does not wait for the first budget');
});

test('reserve: at most one more request; both failing is a reject', async () => {
  const fail = async () => Promise.reject(new BusError('no_responders', 'x'));
  const bus = scriptedBus([fail, fail, fail]);
  assert.deepEqual(await requestDecision(bus, 'x', request, 1000, 300), { decision: 'reject', reason: 'verifier.unavailable' });
  assert.equal(bus.calls.length, 2);
});

test('reserve: an answer, even a reject, is never asked again; 0 sends one request with the whole deadline', async () => {
  const rejecting = scriptedBus([async () => ({ decision: 'reject', reason: 'otp.invalid' }), accept]);
  assert.deepEqual(await requestDecision(rejecting, 'x', request, 1000, 300), { decision: 'reject', reason: 'otp.invalid' });
  assert.equal(rejecting.calls.length, 1);
  const broken = scriptedBus([async () => Promise.reject(new BusError('internal', 'x')), accept]);
  assert.deepEqual(await requestDecision(broken, 'x', request, 1000, 300), { decision: 'reject', reason: 'internal_error' });
  assert.equal(broken.calls.length, 1);
  const off = scriptedBus([never, accept]);
  assert.deepEqual(await requestDecision(off, 'x', request, 150, 0), { decision: 'reject', reason: 'timeout' });
  assert.equal(off.calls.length, 1);
  assert.equal(off.calls[0]!.payload.budgetMs, 150);
});
