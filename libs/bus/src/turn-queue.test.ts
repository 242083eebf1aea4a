import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { TurnQueue } from './turn-queue.js';

test('deferred actions run together, in order, after the current turn', async () => {
  const queue = new TurnQueue();
  const ran: number[] = [];
  const results = [1, 2, 3].map((n) =>
    queue.defer(() => {
      ran.push(n);
      return n * 10;
    }),
  );
  await Promise.resolve();
  assert.deepEqual(ran, [], 'nothing runs before the turn ends');
  assert.equal(queue.pending, 3);
  assert.deepEqual(await Promise.all(results), [10, 20, 30]);
  assert.deepEqual(ran, [1, 2, 3]);
  assert.equal(queue.pending, 0);
});

test('flush runs what is queued at once, so a later action cannot overtake it', async () => {
  const queue = new TurnQueue();
  const ran: string[] = [];
  const first = queue.defer(() => ran.push('queued'));
  queue.flush();
  ran.push('immediate');
  await first;
  await nextTurn();
  assert.deepEqual(ran, ['queued', 'immediate']);
});

test('an action that throws rejects its own promise only; promises returned are followed', async () => {
  const queue = new TurnQueue();
  const bad = queue.defer(() => {
    throw new Error('closed');
  });
  const async = queue.defer(() => Promise.resolve('later'));
  const good = queue.defer(() => 'ok');
  await assert.rejects(bad, /closed/);
  assert.equal(await async, 'later');
  assert.equal(await good, 'ok');
});

test('actions queued after a flush wait for the next turn', async () => {
  const queue = new TurnQueue();
  await queue.defer(() => undefined);
  let ran = false;
  const next = queue.defer(() => (ran = true));
  assert.equal(ran, false);
  await next;
  assert.equal(ran, true);
});
