import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { countingDb, createTestDatabase } from '@tollgate/testkit';
import { PostgresDb, migrate, tokens, users, type Db, type QueryOptions } from '@tollgate/store';
import { UserProfiles } from './user-profiles.js';

const database = await createTestDatabase('aggregator_profiles');
const pg = new PostgresDb({ url: database.url, max: 4 });

before(async () => {
  await migrate(pg);
  const token = { secretSealed: 'v1.sealed', period: 30 as const, algorithm: 'SHA1' as const, source: 'generated' as const };
  await users.create(pg, { upn: 'six@contoso.com' });
  await tokens.put(pg, { upn: 'six@contoso.com', digits: 6, ...token });
  await users.create(pg, { upn: 'eight@contoso.com' });
  await tokens.put(pg, { upn: 'eight@contoso.com', digits: 8, ...token });
  await users.create(pg, { upn: 'off@contoso.com', enabled: false });
  await tokens.put(pg, { upn: 'off@contoso.com', digits: 6, ...token });
  await users.create(pg, { upn: 'bare@contoso.com' });
  await users.create(pg, { upn: 'bare-off@contoso.com', enabled: false });
});
after(async () => {
  await pg.close();
  await database.drop();
});

test('profiles asked for together are read in one query: enrolled (6/8), disabled, not enrolled, unknown', async () => {
  const db = countingDb(pg);
  const profiles = new UserProfiles(db, 60_000);
  const upns = ['six@contoso.com', 'eight@contoso.com', 'off@contoso.com', 'bare@contoso.com', 'bare-off@contoso.com', 'ghost@contoso.com'];
  const found = await Promise.all(upns.map((upn) => profiles.get(upn)));
  assert.deepEqual(found, [
    { status: 'enrolled', digits: 6 },
    { status: 'enrolled', digits: 8 },
    { status: 'user_disabled' },
    { status: 'not_enrolled' },
    { status: 'user_disabled' },
    { status: 'unknown_user' },
  ]);
  assert.equal(db.sql.length, 1, 'one query for all six');
  assert.doesNotMatch(db.sql[0]!, /secret_sealed/, 'the aggregator never reads a seed');
  // Cached now: no query at all, and an unknown user is cached too.
  assert.deepEqual(await profiles.get('ghost@contoso.com'), { status: 'unknown_user' });
  assert.deepEqual(await profiles.get('eight@contoso.com'), { status: 'enrolled', digits: 8 });
  assert.equal(db.sql.length, 1);
});

test('a dropped cache entry is read again and sees the change', async () => {
  const db = countingDb(pg);
  const profiles = new UserProfiles(db, 60_000);
  await users.create(pg, { upn: 'late@contoso.com' });
  assert.deepEqual(await profiles.get('late@contoso.com'), { status: 'not_enrolled' });
  await tokens.put(pg, { upn: 'late@contoso.com', digits: 8, secretSealed: 'v1.s', period: 30, algorithm: 'SHA1', source: 'generated' });
  assert.deepEqual(await profiles.get('late@contoso.com'), { status: 'not_enrolled' }, 'cached');
  profiles.cache.delete('late@contoso.com');
  assert.deepEqual(await profiles.get('late@contoso.com'), { status: 'enrolled', digits: 8 });
  assert.equal(db.sql.length, 2);
});

test('a failed read fails every profile in the batch and caches nothing', async () => {
  let broken = true;
  const db = countingDb(pg);
  const flaky = {
    kind: db.kind,
    query: (text: string, params?: unknown[], options?: QueryOptions) =>
      broken ? Promise.reject(Object.assign(new Error('down'), { code: '57P01' })) : db.query(text, params, options),
  } as unknown as Db;
  const profiles = new UserProfiles(flaky, 60_000);
  const results = await Promise.allSettled(['six@contoso.com', 'ghost@contoso.com'].map((upn) => profiles.get(upn)));
  assert.deepEqual(
    results.map((r) => r.status),
    ['rejected', 'rejected'],
  );
  broken = false;
  assert.deepEqual(await profiles.get('six@contoso.com'), { status: 'enrolled', digits: 6 });
});
