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
  assert.deepEqual(batches, [
    [1, 2],
    [3, 4],
  ]);
  assert.equal(batcher.pending, 1);
  assert.deepEqual(await Promise.all(pending), [2, 4, 6, 8, 10]);
  assert.deepEqual(batches, [[1, 2], [3, 4], [5]]);
});

test('an error splitOn does not blame on an item rejects every call of the batch, which runs once', async () => {
  let fail = true;
  let runs = 0;
  const batcher = new Batcher<number, number>({
    run: async (items) => {
      runs++;
      if (fail) throw Object.assign(new Error('db down'), { code: 'ECONNREFUSED' });
      return items.map((x) => x);
    },
    splitOn: (error) => (error as { code?: string }).code !== 'ECONNREFUSED',
  });
  const first = [1, 2].map((x) => batcher.load(x));
  for (const p of first) await assert.rejects(p, { code: 'ECONNREFUSED' });
  assert.equal(runs, 1, 'an outage is not multiplied by the batch size');
  fail = false;
  assert.equal(await batcher.load(3), 3);
});

/** A run that fails any batch holding a negative item, as PostgreSQL fails a statement holding a NUL. */
const poisoned = (runs: number[][]) => async (items: readonly number[]) => {
  runs.push([...items]);
  if (items.some((x) => x < 0)) throw Object.assign(new Error('invalid byte sequence'), { code: '22021' });
  return items.map((x) => x * 10);
};

test('a batch failing because of one item is run item by item: only that item fails', async () => {
  const runs: number[][] = [];
  const splits: number[] = [];
  const batcher = new Batcher<number, number>({ run: poisoned(runs), onSplit: (n) => splits.push(n) });
  const results = await Promise.allSettled([1, 2, -3, 4].map((x) => batcher.load(x)));
  assert.deepEqual(
    results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as { code: string }).code)),
    [10, 20, '22021', 40],
  );
  assert.deepEqual(runs, [[1, 2, -3, 4], [1], [2], [-3], [4]]);
  assert.deepEqual(splits, [4]);
});

const splitCases: Array<{ name: string; items: number[]; expected: Array<number | string> }> = [
  { name: 'two bad items among good ones', items: [-1, 5, -2, 6], expected: ['22021', 50, '22021', 60] },
  { name: 'every item bad', items: [-1, -2], expected: ['22021', '22021'] },
  { name: 'a lone bad item (nothing to split)', items: [-7], expected: ['22021'] },
  { name: 'the bad item last of a full batch', items: [1, 2, 3, -4], expected: [10, 20, 30, '22021'] },
];
for (const c of splitCases) {
  test(`split: ${c.name}`, async () => {
    const batcher = new Batcher<number, number>({ run: poisoned([]), maxBatch: 4 });
    const results = await Promise.allSettled(c.items.map((x) => batcher.load(x)));
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as { code: string }).code)),
      c.expected,
    );
  });
}

test('splitOn decides which errors split a batch', async () => {
  const runs: number[][] = [];
  const batcher = new Batcher<number, number>({
    run: poisoned(runs),
    splitOn: (error) => (error as { code?: string }).code?.startsWith('22') === true,
  });
  const results = await Promise.allSettled([1, -2].map((x) => batcher.load(x)));
  assert.deepEqual(
    results.map((r) => r.status),
    ['fulfilled', 'rejected'],
  );
  assert.equal(runs.length, 3);
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

test('a splitOn that throws still answers every caller', async () => {
  const batcher = new Batcher<number, number>({
    run: poisoned([]),
    splitOn: () => {
      throw new Error('bug in splitOn');
    },
  });
  const results = await Promise.allSettled([1, -1].map((x) => batcher.load(x)));
  assert.deepEqual(
    results.map((r) => r.status),
    ['rejected', 'rejected'],
  );
});
