import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '@tollgate/testkit';
import { PostgresDb, authEvents, migrate, tokens, users, type NewToken } from './index.js';

const database = await createTestDatabase('store_batch');
const db = new PostgresDb({ url: database.url });
// A second pool on the same database: another replica of a service.
const replica = new PostgresDb({ url: database.url });

const token = (upn: string, extra: Partial<NewToken> = {}): NewToken => ({
  upn,
  secretSealed: `v1.sealed-${upn}`,
  digits: 6,
  period: 30,
  algorithm: 'SHA1',
  source: 'generated',
  ...extra,
});

before(async () => {
  await migrate(db);
  await users.create(db, { upn: 'enrolled@contoso.com' });
  await tokens.put(db, token('enrolled@contoso.com', { digits: 8, period: 60, algorithm: 'SHA256' }));
  await users.create(db, { upn: 'disabled@contoso.com', enabled: false });
  await tokens.put(db, token('disabled@contoso.com'));
  await users.create(db, { upn: 'bare@contoso.com' });
  await users.create(db, { upn: 'bare-disabled@contoso.com', enabled: false });
});
after(async () => {
  await db.close();
  await replica.close();
  await database.drop();
});

async function enrol(upn: string): Promise<void> {
  await users.create(db, { upn });
  await tokens.put(db, token(upn));
}

test('tokens.getMany answers many users in one query: enrolled, disabled, not enrolled, unknown', async () => {
  const found = await tokens.getMany(db, [
    'enrolled@contoso.com',
    'disabled@contoso.com',
    'bare@contoso.com',
    'bare-disabled@contoso.com',
    'ghost@contoso.com',
    'enrolled@contoso.com',
  ]);
  assert.deepEqual(found.get('enrolled@contoso.com'), {
    upn: 'enrolled@contoso.com',
    userEnabled: true,
    token: { secretSealed: 'v1.sealed-enrolled@contoso.com', digits: 8, period: 60, algorithm: 'SHA256' },
  });
  assert.equal(found.get('disabled@contoso.com')?.userEnabled, false);
  assert.equal(found.get('disabled@contoso.com')?.token?.digits, 6);
  assert.deepEqual(found.get('bare@contoso.com'), { upn: 'bare@contoso.com', userEnabled: true, token: null });
  assert.deepEqual(found.get('bare-disabled@contoso.com'), { upn: 'bare-disabled@contoso.com', userEnabled: false, token: null });
  assert.equal(found.has('ghost@contoso.com'), false);
  assert.equal(found.size, 4);
  assert.equal((await tokens.getMany(db, [])).size, 0);
});

test('users.profiles answers many users in one query, without the seed', async () => {
  const found = await users.profiles(db, [
    'enrolled@contoso.com',
    'disabled@contoso.com',
    'bare@contoso.com',
    'bare-disabled@contoso.com',
    'ghost@contoso.com',
  ]);
  assert.deepEqual(found.get('enrolled@contoso.com'), { upn: 'enrolled@contoso.com', enabled: true, digits: 8 });
  assert.deepEqual(found.get('disabled@contoso.com'), { upn: 'disabled@contoso.com', enabled: false, digits: 6 });
  assert.deepEqual(found.get('bare@contoso.com'), { upn: 'bare@contoso.com', enabled: true, digits: null });
  assert.deepEqual(found.get('bare-disabled@contoso.com'), { upn: 'bare-disabled@contoso.com', enabled: false, digits: null });
  assert.equal(found.has('ghost@contoso.com'), false);
  assert.ok(!JSON.stringify([...found.values()]).includes('sealed'));
});

test('tokens.claimSteps gives what claiming one by one in order would, duplicates included', async () => {
  await enrol('seq-a@contoso.com');
  await enrol('seq-b@contoso.com');
  const results = await tokens.claimSteps(db, [
    { upn: 'seq-a@contoso.com', step: 100 },
    { upn: 'seq-a@contoso.com', step: 100 },
    { upn: 'seq-b@contoso.com', step: 7 },
    { upn: 'seq-a@contoso.com', step: 99 },
    { upn: 'seq-a@contoso.com', step: 101 },
    { upn: 'ghost@contoso.com', step: 1 },
    { upn: 'seq-b@contoso.com', step: 6 },
  ]);
  assert.deepEqual(results, [true, false, true, false, true, false, false]);
  // The batched and the single-row guard share one record.
  assert.equal(await tokens.claimStep(db, 'seq-a@contoso.com', 101), false);
  assert.equal(await tokens.claimStep(db, 'seq-a@contoso.com', 102), true);
  assert.deepEqual(await tokens.claimSteps(db, [{ upn: 'seq-a@contoso.com', step: 102 }]), [false]);
  assert.deepEqual(await tokens.claimSteps(db, []), []);
});

test('UPNs with quotes, commas, braces and backslashes survive the arrays', async () => {
  const awkward = 'o"b,r{i}e\\n@contoso.com';
  await enrol(awkward);
  assert.equal((await tokens.getMany(db, [awkward, 'ghost@contoso.com'])).get(awkward)?.token?.secretSealed, `v1.sealed-${awkward}`);
  assert.equal((await users.profiles(db, [awkward])).get(awkward)?.digits, 6);
  assert.deepEqual(
    await tokens.claimSteps(db, [
      { upn: awkward, step: 3 },
      { upn: 'seq-b@contoso.com', step: 8 },
    ]),
    [true, true],
  );
  assert.deepEqual(await tokens.claimSteps(db, [{ upn: awkward, step: 3 }]), [false]);
});

test('concurrent batched claims of one step, across two pools, let exactly one win', async () => {
  await enrol('race@contoso.com');
  const others = Array.from({ length: 14 }, (_, i) => `race-other-${i}@contoso.com`);
  for (const upn of others) await enrol(upn);
  // 40 batches, half on each "replica", each holding the contested claim among others that
  // overlap from batch to batch (some hold the contested claim twice), all started together.
  // Overlapping batches must neither deadlock nor let a step win twice.
  const batches = Array.from({ length: 40 }, (_, b) => {
    const mine = others.slice(b % 10, (b % 10) + 5).map((upn) => ({ upn, step: 1000 + b }));
    const contested = { upn: 'race@contoso.com', step: 500 };
    return b % 3 === 0 ? [contested, ...mine, contested] : [...mine, contested];
  });
  const results = await Promise.all(batches.map((claims, b) => tokens.claimSteps(b % 2 === 0 ? db : replica, claims)));
  const contestedWins = results.flatMap((r, b) => r.filter((_, i) => batches[b]![i]!.upn === 'race@contoso.com')).filter(Boolean);
  assert.equal(contestedWins.length, 1);
  // For every other user, the highest step any claim won is the one recorded.
  const wins = new Map<string, number>();
  for (const [b, r] of results.entries()) {
    for (const [i, won] of r.entries()) {
      const claim = batches[b]![i]!;
      if (won) wins.set(claim.upn, Math.max(wins.get(claim.upn) ?? 0, claim.step));
    }
  }
  for (const upn of others) {
    const { rows } = await db.query<{ last_step: string }>('SELECT last_step FROM totp_tokens WHERE upn = $1', [upn]);
    assert.equal(Number(rows[0]!.last_step), wins.get(upn), `${upn}: the highest step won is the one recorded`);
  }
  const after = await tokens.claimSteps(replica, [{ upn: 'race@contoso.com', step: 500 }]);
  assert.deepEqual(after, [false]);
});

test('named statements are reused across calls and connections, inside transactions too', async () => {
  const many = await Promise.all(Array.from({ length: 30 }, () => tokens.getMany(db, ['enrolled@contoso.com'])));
  assert.ok(many.every((m) => m.get('enrolled@contoso.com')?.token?.digits === 8));
  const inTx = await db.transaction((tx) => tx.query<{ n: number }>('SELECT $1::int AS n', [7], { name: 'tollgate_test_tx_named' }));
  assert.equal(inTx.rows[0]?.n, 7);
});

test('authEvents.insertMany keeps awkward text, nulls and times exactly, in one statement', async () => {
  const awkward = ['quote"d', 'back\\slash', '{brace,comma}', 'NULL', "it's", 'ünïcødé ✓', ' spaced ', ''];
  const at = new Date('2026-01-02T03:04:05.678Z');
  const events = awkward.map((text, i) => ({
    at: new Date(at.getTime() + i),
    requestId: `awk-${i}`,
    username: text,
    upn: i % 2 === 0 ? null : `${text}@x`,
    clientName: text,
    clientAddress: '10.0.0.1',
    decision: (i % 2 === 0 ? 'reject' : 'accept') as 'accept' | 'reject',
    reason: i % 2 === 0 ? 'user.unknown' : 'ok',
    aadsts: i % 3 === 0 ? null : 50076,
    latencyMs: i === 1 ? null : i * 10,
  }));
  await authEvents.insertMany(db, events);
  await authEvents.insertMany(db, []);
  const { rows } = await db.query<{
    request_id: string;
    username: string;
    upn: string | null;
    client_name: string;
    at: Date;
    aadsts: number | null;
    latency_ms: number | null;
  }>(
    `SELECT request_id, username, upn, client_name, at, aadsts, latency_ms FROM auth_events WHERE request_id LIKE 'awk-%' ORDER BY request_id`,
  );
  assert.equal(rows.length, awkward.length);
  for (const row of rows) {
    const i = Number(row.request_id.slice(4));
    const e = events[i]!;
    assert.equal(row.username, e.username);
    assert.equal(row.client_name, e.clientName);
    assert.equal(row.upn, e.upn);
    assert.equal(new Date(row.at).getTime(), e.at.getTime());
    assert.equal(row.aadsts, e.aadsts);
    assert.equal(row.latency_ms, e.latencyMs);
  }
});
