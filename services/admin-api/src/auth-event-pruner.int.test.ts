/**
 * Auth-event pruning on real PostgreSQL and PGlite: events older than the retention setting go in
 * batches, newer ones stay, the default is 90 days, and while another replica holds the lock a run
 * deletes nothing (PostgreSQL: a second connection holds it).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '@tollgate/logging';
import { authEvents, migrate, PgliteDb, PostgresDb, settings, type AuthEvent, type Db } from '@tollgate/store';
import { createTestDatabase } from '@tollgate/testkit';
import { AuthEventPruner, PRUNE_LOCK } from './auth-event-pruner.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const logger = createLogger('t', { destination: { write: () => undefined } });

const event = (daysAgo: number, id: string): AuthEvent => ({
  at: new Date(NOW.getTime() - daysAgo * DAY),
  requestId: id,
  username: 'alice',
  upn: 'alice@contoso.com',
  clientName: 'vpn',
  clientAddress: '192.0.2.1',
  decision: 'reject',
  reason: 'otp.invalid',
  aadsts: null,
  latencyMs: 10,
});

async function remaining(db: Db): Promise<string[]> {
  const { rows } = await db.query<{ request_id: string }>('SELECT request_id FROM auth_events ORDER BY request_id');
  return rows.map((r) => r.request_id);
}

for (const kind of ['postgres', 'pglite'] as const) {
  describe(`auth-event pruning (${kind})`, () => {
    let db: Db;
    let drop: () => Promise<void> = async () => undefined;
    before(async () => {
      if (kind === 'postgres') {
        const database = await createTestDatabase('adm_prune');
        db = new PostgresDb({ url: database.url, max: 4 });
        drop = () => database.drop();
      } else {
        db = await PgliteDb.open({ dataDir: 'memory://' });
      }
      await migrate(db);
    });
    after(async () => {
      await db.close();
      await drop();
    });

    test('the default keeps 90 days; a setting of 30 prunes in batches what is older', async () => {
      await db.query('DELETE FROM auth_events');
      await authEvents.insertMany(db, [event(200, 'a'), event(95, 'b'), event(89, 'c'), event(40, 'd'), event(31, 'e'), event(1, 'f')]);
      const pruner = new AuthEventPruner(db, logger, { batchSize: 2, now: () => NOW });
      const first = await pruner.runOnce();
      assert.deepEqual([first.ran, first.deleted], [true, 2]);
      assert.deepEqual(await remaining(db), ['c', 'd', 'e', 'f']);

      await settings.put(db, 'retention', { authEventDays: 30 });
      const second = await pruner.runOnce();
      assert.deepEqual([second.ran, second.deleted], [true, 3]);
      assert.equal(second.cutoff.toISOString(), new Date(NOW.getTime() - 30 * DAY).toISOString());
      assert.deepEqual(await remaining(db), ['f']);
    });

    test('a run stops after maxBatches and the next goes on', async () => {
      await db.query('DELETE FROM auth_events');
      await authEvents.insertMany(db, [event(100, 'a'), event(100, 'b'), event(100, 'c'), event(100, 'd'), event(100, 'e')]);
      await settings.put(db, 'retention', { authEventDays: 90 });
      const pruner = new AuthEventPruner(db, logger, { batchSize: 2, maxBatches: 1, now: () => NOW });
      assert.equal((await pruner.runOnce()).deleted, 2);
      assert.equal((await remaining(db)).length, 3);
      assert.equal((await pruner.runOnce()).deleted, 2);
      assert.equal((await pruner.runOnce()).deleted, 1);
      assert.deepEqual(await remaining(db), []);
    });

    if (kind === 'postgres') {
      test('while another replica holds the lock, nothing is deleted', async () => {
        await db.query('DELETE FROM auth_events');
        await authEvents.insertMany(db, [event(100, 'old')]);
        let release: () => void = () => undefined;
        const released = new Promise<void>((resolve) => {
          release = resolve;
        });
        let locked: () => void = () => undefined;
        const isLocked = new Promise<void>((resolve) => {
          locked = resolve;
        });
        const holder = db.transaction(async (tx) => {
          await tx.query('SELECT pg_advisory_xact_lock($1)', [PRUNE_LOCK]);
          locked();
          await released;
        });
        await isLocked;
        const pruner = new AuthEventPruner(db, logger, { now: () => NOW });
        const skipped = await pruner.runOnce();
        assert.deepEqual([skipped.ran, skipped.deleted], [false, 0]);
        assert.deepEqual(await remaining(db), ['old']);
        release();
        await holder;
        assert.equal((await pruner.runOnce()).deleted, 1);
      });
    }
  });
}
