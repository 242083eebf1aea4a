/**
 * One bad name in a batch fails alone, on PostgreSQL and on PGlite: a NUL (which the database
 * refuses, SQLSTATE 22021) in a profile lookup or an auth-log row among good ones costs only
 * that item. The contracts refuse such a name before it gets here; this is the layer behind them.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '@tollgate/logging';
import { PgliteDb, PostgresDb, migrate, tokens, users, type AuthEvent, type Db } from '@tollgate/store';
import { countingDb, createTestDatabase } from '@tollgate/testkit';
import { AuthEventWriter } from './auth-event-writer.js';
import { UserProfiles } from './user-profiles.js';

const BAD = 'mallory\u0000@contoso.com';
const database = await createTestDatabase('aggregator_isolation');
const closers: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await database.drop();
});

function capture() {
  const lines: string[] = [];
  const logger = createLogger('aggregator', { level: 'debug', destination: { write: (line: string) => void lines.push(line) } });
  return { lines, logger };
}

const event = (requestId: string, username: string): AuthEvent => ({
  at: new Date(),
  requestId,
  username,
  upn: null,
  clientName: 'vpn',
  clientAddress: '192.0.2.1',
  decision: 'reject',
  reason: 'user.unknown',
  aadsts: null,
  latencyMs: 3,
});

async function rowsFor(db: Db, prefix: string): Promise<string[]> {
  const { rows } = await db.query<{ request_id: string }>(`SELECT request_id FROM auth_events WHERE request_id LIKE $1 ORDER BY id`, [
    `${prefix}%`,
  ]);
  return rows.map((r) => r.request_id);
}

const engines: Array<[string, () => Promise<Db>]> = [
  ['PostgreSQL', async () => new PostgresDb({ url: database.url, max: 4 })],
  ['PGlite', () => PgliteDb.open({ dataDir: 'memory://' })],
];

for (const [engine, open] of engines) {
  test(`${engine}: a profile batch with a NUL name answers every good name rightly, and N-1 auth events are written`, async () => {
    const inner = await open();
    closers.push(() => inner.close());
    await migrate(inner);
    await users.create(inner, { upn: 'six@contoso.com' });
    await tokens.put(inner, {
      upn: 'six@contoso.com',
      secretSealed: 'v1.sealed',
      digits: 6,
      period: 30,
      algorithm: 'SHA1',
      source: 'generated',
    });
    await users.create(inner, { upn: 'off@contoso.com', enabled: false });
    await users.create(inner, { upn: 'bare@contoso.com' });
    const db = countingDb(inner);

    const profiles = new UserProfiles(db, 60_000);
    const names = ['six@contoso.com', BAD, 'off@contoso.com', 'bare@contoso.com', 'ghost@contoso.com'];
    const results = await Promise.allSettled(names.map((upn) => profiles.get(upn)));
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value : `error ${(r.reason as { code?: string }).code}`)),
      [
        { status: 'enrolled', digits: 6 },
        'error 22021',
        { status: 'user_disabled' },
        { status: 'not_enrolled' },
        { status: 'unknown_user' },
      ],
    );
    assert.equal(db.sql.length, 1 + names.length, 'the batch, then each name alone');

    // The auth log: 7 rows in one flush, one of them refused: the 6 others are written.
    const { lines, logger } = capture();
    const lost: number[] = [];
    const writer = new AuthEventWriter({ db, logger, flushMs: 10_000, onFailure: (n) => lost.push(n) });
    const prefix = `iso-${engine}-`;
    const ids = Array.from({ length: 7 }, (_, i) => `${prefix}${i}`);
    for (const [i, id] of ids.entries()) writer.add(event(id, i === 3 ? BAD : `user${i}@contoso.com`));
    await writer.flush();
    assert.deepEqual(
      await rowsFor(inner, prefix),
      ids.filter((_, i) => i !== 3),
    );
    assert.deepEqual(lost, [1], 'one row counted as lost');
    const failures = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'auth log write failed');
    assert.equal(failures.length, 1);
    assert.equal(failures[0]!.count, 1);
    assert.ok(!lines.join('\n').includes('mallory'), 'the refused name is not logged');
  });
}

test('an outage loses the auth-log batch at once: no row-by-row retries against a database that is down', async () => {
  // Nothing listens on port 1: every connection is refused, as when PostgreSQL is down.
  const inner = new PostgresDb({ url: 'postgres://postgres@127.0.0.1:1/none' });
  closers.push(() => inner.close());
  const db = countingDb(inner);
  const { logger } = capture();
  const lost: number[] = [];
  const writer = new AuthEventWriter({ db, logger, flushMs: 10_000, onFailure: (n) => lost.push(n) });
  for (let i = 0; i < 5; i++) writer.add(event(`down-${i}`, `user${i}@contoso.com`));
  await writer.flush();
  assert.deepEqual(lost, [5]);
  assert.equal(db.sql.length, 1, 'one insert tried');
});
