import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Batcher, BatchError } from './batcher.js';

/** A run function that records its batches and answers each item doubled. */
function recorder(delay?: () => Promise<void>) {
  const batches: number[][] = [];
  const run = async (items: readonly number[]) => {
    batches.push([...items]);
    if (delay) await delay();
    return items.map((x) => x * 2);
  };
  return { batches, run };
}

test('calls made in the same turn run as one batch, in order, each getting its own result', async () => {
  const { batches, run } = recorder();
  const batcher = new Batcher({ run });
  const results = await Promise.all([1, 2, 3].map((x) => batcher.load(x)));
  assert.deepEqual(results, [2, 4, 6]);
  assert.deepEqual(batches, [[1, 2, 3]]);
});

test('calls in later turns make later batches (an idle caller is not held back)', async () => {
  const { batches, run } = recorder();
  const batcher = new Batcher({ run });
  assert.equal(await batcher.load(1), 2);
  assert.equal(await batcher.load(2), 4);
  assert.deepEqual(batches, [[1], [2]]);
});

test('maxBatch splits a burst and flushes a full batch without waiting for the turn to end', async () => {
  const { batches, run } = recorder();
  const batcher = new Batcher({ run, maxBatch: 2 });
  const pending = [1, 2, 3, 4, 5].map((x) => batcher.load(x));
  // The first two full batches started synchronously.
  assert.deepEqual(batches, [[1, 2], [3, 4]]);
  assert.equal(batcher.pending, 1);
  assert.deepEqual(await Promise.all(pending), [2, 4, 6, 8, 10]);
  assert.deepEqual(batches, [[1, 2], [3, 4], [5]]);
});

test('a failing batch rejects every call in it, and only those', async () => {
  let fail = true;
  const batcher = new Batcher<number, number>({
    run: async (items) => {
      if (fail) throw Object.assign(new Error('db down'), { code: 'ECONNREFUSED' });
      return items.map((x) => x);
    },
  });
  const first = [1, 2].map((x) => batcher.load(x));
  for (const p of first) await assert.rejects(p, { code: 'ECONNREFUSED' });
  fail = false;
  assert.equal(await batcher.load(3), 3);
});

test('a run that throws synchronously rejects its callers instead of escaping', async () => {
  const batcher = new Batcher<number, number>({
    run: () => {
      throw new Error('sync');
    },
  });
  await assert.rejects(batcher.load(1), /sync/);
});

test('a result count that does not match the batch rejects every caller (fail closed)', async () => {
  const batcher = new Batcher<number, number>({ run: async (items) => items.slice(1) });
  const calls = [1, 2].map((x) => batcher.load(x));
  for (const p of calls) await assert.rejects(p, (error: unknown) => error instanceof BatchError && error.code === 'batch_mismatch');
});

test('onBatch hears the size of every batch', async () => {
  const sizes: number[] = [];
  const batcher = new Batcher<number, number>({ run: async (items) => [...items], onBatch: (n) => sizes.push(n), maxBatch: 3 });
  await Promise.all([1, 2, 3, 4].map((x) => batcher.load(x)));
  assert.deepEqual(sizes, [3, 1]);
});
