import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { RefusalLog } from './refusal-log.js';

test('the first refusal is logged at once, the rest as one summary per interval', async () => {
  const lines: Array<[Record<string, number>, boolean]> = [];
  const log = new RefusalLog((counts, first) => lines.push([counts, first]), 30);
  log.add('reply a: bad_seal');
  assert.deepEqual(lines, [[{ 'reply a: bad_seal': 1 }, true]]);
  for (let i = 0; i < 500; i++) log.add(i % 2 ? 'reply a: bad_seal' : 'request b: unsealed');
  assert.equal(lines.length, 1, 'nothing more until the interval ends');
  await sleep(60);
  assert.deepEqual(lines[1], [{ 'reply a: bad_seal': 250, 'request b: unsealed': 250 }, false]);
  log.add('event c: stale');
  log.flush();
  assert.deepEqual(lines[2], [{ 'event c: stale': 1 }, false]);
  log.flush();
  assert.equal(lines.length, 3, 'an empty flush writes nothing');
});
