import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PgliteDb, migrate, tokens, users } from './index.js';

/**
 * The batched hot-path queries on the embedded database: the same SQL (arrays, unnest, a
 * materialised CTE with FOR UPDATE) must give the same answers there as on PostgreSQL.
 */
let db: PgliteDb;
// Commas, quotes, braces and a backslash: array literals must carry them untouched.
const AWKWARD = 'o"b,r{i}e\\n@contoso.com';
const token = { secretSealed: 'v1.sealed', period: 30 as const, algorithm: 'SHA1' as const, source: 'generated' as const };

before(async () => {
  db = await PgliteDb.open({ dataDir: 'memory://' });
  await migrate(db);
  await users.create(db, { upn: 'six@contoso.com' });
  await tokens.put(db, { upn: 'six@contoso.com', digits: 6, ...token });
  await users.create(db, { upn: AWKWARD });
  await tokens.put(db, { upn: AWKWARD, digits: 8, ...token });
  await users.create(db, { upn: 'off@contoso.com', enabled: false });
  await users.create(db, { upn: 'bare@contoso.com' });
});
after(async () => {
  await db.close();
});

test('getMany and profiles on PGlite: enrolled, disabled, not enrolled, unknown', async () => {
  const upns = ['six@contoso.com', AWKWARD, 'off@contoso.com', 'bare@contoso.com', 'ghost@contoso.com'];
  const found = await tokens.getMany(db, upns);
  assert.deepEqual(found.get(AWKWARD), {
    upn: AWKWARD,
    userEnabled: true,
    token: { secretSealed: 'v1.sealed', digits: 8, period: 30, algorithm: 'SHA1' },
  });
  assert.deepEqual(found.get('off@contoso.com'), { upn: 'off@contoso.com', userEnabled: false, token: null });
  assert.deepEqual(found.get('bare@contoso.com'), { upn: 'bare@contoso.com', userEnabled: true, token: null });
  assert.equal(found.has('ghost@contoso.com'), false);
  const profiles = await users.profiles(db, upns);
  assert.deepEqual(profiles.get('six@contoso.com'), { upn: 'six@contoso.com', enabled: true, digits: 6 });
  assert.deepEqual(profiles.get(AWKWARD), { upn: AWKWARD, enabled: true, digits: 8 });
  assert.deepEqual(profiles.get('off@contoso.com'), { upn: 'off@contoso.com', enabled: false, digits: null });
  assert.equal(profiles.has('ghost@contoso.com'), false);
});

test('claimSteps on PGlite gives the one-by-one answers', async () => {
  const results = await tokens.claimSteps(db, [
    { upn: 'six@contoso.com', step: 59_000_000 },
    { upn: 'six@contoso.com', step: 59_000_000 },
    { upn: AWKWARD, step: 7 },
    { upn: 'six@contoso.com', step: 59_000_001 },
    { upn: 'ghost@contoso.com', step: 1 },
  ]);
  assert.deepEqual(results, [true, false, true, true, false]);
  assert.deepEqual(
    await tokens.claimSteps(db, [
      { upn: AWKWARD, step: 7 },
      { upn: 'six@contoso.com', step: 59_000_002 },
    ]),
    [false, true],
  );
  assert.equal(await tokens.claimStep(db, 'six@contoso.com', 59_000_002), false);
});

test('claimSteps on PGlite: the repeat-claim window is 30 s from the first claim, never moved by a re-claim', async () => {
  const key = 'f'.repeat(32);
  const first = Date.parse('2026-03-01T10:00:00Z');
  const claim = (step: number, at: number, requestKey: string | undefined = key) =>
    tokens.claimSteps(db, [requestKey === undefined ? { upn: 'six@contoso.com', step } : { upn: 'six@contoso.com', step, requestKey }], at);
  assert.deepEqual(await claim(60_000_000, first), [true]);
  assert.deepEqual(await claim(60_000_000, first + 15_000), [true]);
  assert.deepEqual(await claim(60_000_000, first + 29_999), [true]);
  assert.deepEqual(await claim(60_000_000, first + 20_000, 'a'.repeat(32)), [false], 'another request');
  assert.deepEqual(await claim(60_000_000, first + 30_000), [false], 'the window closed 30 s after the first claim');
  assert.deepEqual(await claim(60_000_000, first - 1), [false]);
  assert.deepEqual(await claim(60_000_001, first + 31_000), [true]);
  assert.deepEqual(await claim(60_000_001, first + 60_999), [true]);
  assert.deepEqual(await claim(60_000_001, first + 61_000), [false]);
});

test('createMany and putMany on PGlite: nulls and awkward names carried, a UPN given twice keeps its last token', async () => {
  const upns = ['many1@contoso.com', AWKWARD, 'many1@contoso.com', 'many2@contoso.com'];
  assert.equal(await users.createMany(db, upns), 2, 'only the two new users are created');
  assert.equal(await users.createMany(db, []), 0);
  await tokens.putMany(db, [
    { upn: 'many1@contoso.com', digits: 6, ...token, secretSealed: 'v1.first', serial: 'S1', manufacturer: null, model: null },
    { upn: AWKWARD, digits: 6, ...token, source: 'hardware', serial: 'S,"2"', manufacturer: 'Maker, Inc.', model: null },
    { upn: 'many1@contoso.com', digits: 6, ...token, secretSealed: 'v1.second', serial: null },
  ]);
  await tokens.putMany(db, []);
  const first = (await tokens.get(db, 'many1@contoso.com'))!;
  assert.equal(first.secretSealed, 'v1.second');
  assert.equal(first.serial, null);
  const awkward = (await tokens.get(db, AWKWARD))!;
  assert.deepEqual(
    [awkward.source, awkward.serial, awkward.manufacturer, awkward.model, awkward.lastStep],
    ['hardware', 'S,"2"', 'Maker, Inc.', null, null],
  );
  assert.equal(await tokens.get(db, 'many2@contoso.com'), null, 'a user without a row gets no token');
});
