import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claimRounds, claimSteps } from './step-claims.js';

test('claimRounds puts each UPN at most once per round, keeping its claims in order', () => {
  const claims = [
    { upn: 'b', step: 1 },
    { upn: 'a', step: 1 },
    { upn: 'b', step: 2 },
    { upn: 'c', step: 1 },
    { upn: 'b', step: 3 },
    { upn: 'a', step: 2 },
  ];
  const rounds = claimRounds(claims);
  assert.deepEqual(rounds, [[1, 0, 3], [5, 2], [4]]);
  for (const round of rounds) {
    const upns = round.map((i) => claims[i]!.upn);
    assert.equal(new Set(upns).size, upns.length);
    assert.deepEqual(upns, [...upns].sort());
  }
});

test('claimRounds leaves out claims that lose whatever the database says', () => {
  // After a claim of step 5, a claim of step 5 or 4 for the same user cannot win; 6 still may.
  const claims = [
    { upn: 'a', step: 5 },
    { upn: 'a', step: 5 },
    { upn: 'a', step: 4 },
    { upn: 'b', step: 5 },
    { upn: 'a', step: 6 },
    { upn: 'a', step: 6 },
  ];
  assert.deepEqual(claimRounds(claims), [[0, 3], [4]]);
  // A replayed code sent 100 times at once is one statement.
  assert.deepEqual(claimRounds(Array.from({ length: 100 }, () => ({ upn: 'z', step: 9 }))), [[0]]);
});

test('claimRounds gives a re-run of the same request a round of its own; other copies still lose', () => {
  const claims = [
    { upn: 'a', step: 5, requestKey: 'k1' },
    { upn: 'a', step: 5, requestKey: 'k2' },
    { upn: 'a', step: 5, requestKey: 'k1' },
    { upn: 'a', step: 5 },
  ];
  assert.deepEqual(claimRounds(claims), [[0], [2]]);
});

test('claimRounds of distinct UPNs is one round, and of nothing is none', () => {
  assert.deepEqual(
    claimRounds([
      { upn: 'x', step: 5 },
      { upn: 'w', step: 5 },
    ]),
    [[1, 0]],
  );
  assert.deepEqual(claimRounds([]), []);
});

/** A stand-in database whose claim statement fails with the given codes, then lets every claim win. */
function flakyDb(failures: string[]) {
  const calls: unknown[][] = [];
  const db = {
    async query<R>(_sql: string, params: unknown[] = []) {
      calls.push(params);
      const code = failures.shift();
      if (code) throw Object.assign(new Error('simulated'), { code });
      const upns = params[0] as string[];
      return { rows: upns.map((upn) => ({ upn })) as R[], affected: upns.length };
    },
    async exec() {},
  };
  return { db, calls };
}

test('claimSteps runs a statement PostgreSQL aborted as a deadlock victim again', async () => {
  const { db, calls } = flakyDb(['40P01']);
  assert.deepEqual(await claimSteps(db, [{ upn: 'a', step: 1 }]), [true]);
  assert.equal(calls.length, 2);
});

test('claimSteps gives up after repeated deadlocks and never retries other errors', async () => {
  const deadlocks = flakyDb(['40P01', '40P01', '40P01']);
  await assert.rejects(claimSteps(deadlocks.db, [{ upn: 'a', step: 1 }]), { code: '40P01' });
  assert.equal(deadlocks.calls.length, 3);
  const broken = flakyDb(['57P01']);
  await assert.rejects(claimSteps(broken.db, [{ upn: 'a', step: 1 }]), { code: '57P01' });
  assert.equal(broken.calls.length, 1);
});

test('claimSteps sends each round as arrays of UPNs and steps, sorted by UPN', async () => {
  const { db, calls } = flakyDb([]);
  const at = new Date('2026-01-01T00:00:00Z');
  await claimSteps(
    db,
    [
      { upn: 'b', step: 7 },
      { upn: 'a', step: 8 },
      { upn: 'b', step: 9 },
    ],
    at.getTime(),
  );
  assert.deepEqual(calls, [
    [['a', 'b'], [8, 7], [null, null], 30, at],
    [['b'], [9], [null], 30, at],
  ]);
});
