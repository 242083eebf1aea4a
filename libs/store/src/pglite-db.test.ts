import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PgliteDb, migrate, radiusClients, settings, tokens, users } from './index.js';
import { PGLITE_SHARED_BUFFERS, diskPath } from './pglite-db.js';

// The embedded database, in process: the store's own migrations and repositories on PGlite.
let db: PgliteDb;
before(async () => {
  db = await PgliteDb.open({ dataDir: 'memory://' });
  await migrate(db);
});
after(async () => {
  await db.close();
});

test('the store migrations apply on PGlite, once', async () => {
  assert.deepEqual((await migrate(db)).applied, []);
  const { rows } = await db.query<{ name: string }>('SELECT name FROM schema_migrations');
  assert.deepEqual(
    rows.map((r) => r.name),
    [
      '001_initial.sql',
      '002_claim_request_key.sql',
      '004_client_otp_mode.sql',
      '005_admin_accounts.sql',
      '006_groups.sql',
      '007_ldap_password_sources.sql',
      '008_fallback_codes.sql',
      '009_enrollment_portal.sql',
    ],
  );
  assert.equal(db.kind, 'pglite');
});

test('the embedded cluster runs with small shared buffers (they stay in the process for good)', async () => {
  const { rows } = await db.query<{ shared_buffers: string }>('SHOW shared_buffers');
  assert.deepEqual(rows, [{ shared_buffers: PGLITE_SHARED_BUFFERS }]);
});

test('results are shaped like node-postgres: int8 as text, affected rows from the command tag', async () => {
  assert.equal(await users.create(db, { upn: 'shape@contoso.com', displayName: 'Shape' }), true);
  assert.equal(await users.create(db, { upn: 'shape@contoso.com' }), false, 'ON CONFLICT DO NOTHING affects 0 rows');
  assert.equal(await users.update(db, 'shape@contoso.com', { enabled: false }), true);
  assert.equal(await users.update(db, 'nobody@contoso.com', { enabled: false }), false);
  const count = await db.query<{ n: unknown }>('SELECT count(*) AS n FROM users WHERE upn = $1', ['shape@contoso.com']);
  assert.deepEqual(count.rows, [{ n: '1' }]);
  assert.equal(count.affected, 1, 'a SELECT reports its rows, as pg rowCount does');
  const user = await users.get(db, 'shape@contoso.com');
  assert.equal(user?.enabled, false);
  assert.equal(user?.displayName, 'Shape');
  assert.ok(user?.createdAt instanceof Date);
  assert.equal(await users.remove(db, 'shape@contoso.com'), true);
  assert.equal(await users.remove(db, 'shape@contoso.com'), false);
});

test('settings round-trip as jsonb', async () => {
  await settings.put(db, 'policy', { otpMaxFailures: 3, otpLockoutSeconds: 60 });
  await settings.put(db, 'policy', { otpMaxFailures: 4, otpLockoutSeconds: 61 });
  assert.deepEqual(await settings.get(db, 'policy'), { otpMaxFailures: 4, otpLockoutSeconds: 61 });
});

test('the replay guard: a step is claimed once, never an older one, one winner among racers', async () => {
  await users.create(db, { upn: 'replay@contoso.com' });
  await tokens.put(db, { upn: 'replay@contoso.com', secretSealed: 'v1.x', digits: 6, period: 30, algorithm: 'SHA1', source: 'generated' });
  assert.equal(await tokens.claimStep(db, 'replay@contoso.com', 100), true);
  assert.equal(await tokens.claimStep(db, 'replay@contoso.com', 100), false);
  assert.equal(await tokens.claimStep(db, 'replay@contoso.com', 99), false);
  const racers = await Promise.all(Array.from({ length: 20 }, () => tokens.claimStep(db, 'replay@contoso.com', 200)));
  assert.equal(racers.filter(Boolean).length, 1);
  assert.equal((await tokens.get(db, 'replay@contoso.com'))?.lastStep, 200);
});

test('array parameters bind as in PostgreSQL (text[] and bigint[])', async () => {
  const { rows } = await db.query<{ upn: string; step: string }>(
    'SELECT v.upn, v.step FROM unnest($1::text[], $2::bigint[]) AS v(upn, step) ORDER BY v.upn',
    [
      ['b@x', 'a@x'],
      [2, 9_007_199_254],
    ],
  );
  assert.deepEqual(rows, [
    { upn: 'a@x', step: '9007199254' },
    { upn: 'b@x', step: '2' },
  ]);
});

test('a transaction rolls back when its function throws', async () => {
  await assert.rejects(
    db.transaction(async (tx) => {
      await tx.query('INSERT INTO users (upn) VALUES ($1)', ['rolled@contoso.com']);
      throw new Error('boom');
    }),
    /boom/,
  );
  assert.equal(await users.get(db, 'rolled@contoso.com'), null);
});

test('transactions serialize on the one session: no lost update, and a plain query waits for an open one', async () => {
  await db.query(`INSERT INTO settings (key, value) VALUES ('counter', '0'::jsonb)`);
  const bump = () =>
    db.transaction(async (tx) => {
      const { rows } = await tx.query<{ value: number }>(`SELECT value FROM settings WHERE key = 'counter'`);
      await new Promise((r) => setTimeout(r, 5));
      await tx.query(`UPDATE settings SET value = $1::jsonb WHERE key = 'counter'`, [JSON.stringify(rows[0]!.value + 1)]);
    });
  let seenMidway: unknown;
  await Promise.all([
    ...Array.from({ length: 10 }, bump),
    (async () => {
      await new Promise((r) => setTimeout(r, 1));
      seenMidway = (await db.query<{ value: number }>(`SELECT value FROM settings WHERE key = 'counter'`)).rows[0]!.value;
    })(),
  ]);
  const { rows } = await db.query<{ value: number }>(`SELECT value FROM settings WHERE key = 'counter'`);
  assert.equal(rows[0]!.value, 10);
  assert.ok(typeof seenMidway === 'number' && seenMidway >= 1, 'the plain query ran between transactions, not inside one');
});

test('errors keep the SQLSTATE and constraint, never the parameter values', async () => {
  const secret = 'sealed-secret-value-0123456789';
  await radiusClients.create(db, { id: 'c1', name: 'vpn', address: '10.0.0.1', secretSealed: secret, requireMessageAuthenticator: true });
  const error = await radiusClients
    .create(db, { id: 'c2', name: 'vpn', address: '10.0.0.2', secretSealed: secret, requireMessageAuthenticator: true })
    .then(
      () => undefined,
      (e: unknown) => e as Record<string, unknown>,
    );
  assert.ok(error, 'the duplicate name was refused');
  assert.equal(error.code, '23505');
  assert.match(String(error.constraint), /name/);
  assert.equal('params' in error, false);
  assert.ok(!JSON.stringify(error).includes(secret) && !String(error.message).includes(secret));
});

test('on disk: what was written before close is there after reopening; a closed db is unhealthy', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'tollgate-pglite-'));
  try {
    const first = await PgliteDb.open({ dataDir: path.join(dir, 'pglite') });
    await migrate(first);
    await users.create(first, { upn: 'kept@contoso.com' });
    assert.equal(first.healthy(), true);
    await first.close();
    await first.close();
    assert.equal(first.healthy(), false);
    await assert.rejects(first.query('SELECT 1'));
    const second = await PgliteDb.open({ dataDir: path.join(dir, 'pglite') });
    try {
      assert.deepEqual((await migrate(second)).applied, []);
      assert.equal((await users.get(second, 'kept@contoso.com'))?.upn, 'kept@contoso.com');
    } finally {
      await second.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

describe('on disk, every file of the cluster is private', () => {
  /** Every file and folder below `dir` whose mode gives group or others any access. */
  async function notPrivate(dir: string): Promise<string[]> {
    const found: string[] = [];
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const mode = (await stat(full)).mode & 0o777;
      if ((mode & 0o077) !== 0) found.push(`${full} ${mode.toString(8)}`);
      if (entry.isDirectory()) found.push(...(await notPrivate(full)));
    }
    return found;
  }
  async function walFiles(dir: string): Promise<string[]> {
    return (await readdir(path.join(dir, 'pg_wal'))).filter((n) => /^[0-9A-F]{24}$/.test(n));
  }

  test('0600 (folders 0700) from the first start on, WAL segments and tables created later included', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'tollgate-pglite-'));
    const dir = path.join(root, 'pglite');
    // A permissive umask, as a shell usually has: nothing may owe its privacy to the runner's umask.
    const umask = process.umask(0o022);
    try {
      const disk = await PgliteDb.open({ dataDir: dir });
      try {
        assert.deepEqual(await notPrivate(dir), [], 'after initialisation');
        await migrate(disk);
        const before = await walFiles(dir);
        await disk.exec("CREATE TABLE filler (x text); INSERT INTO filler SELECT repeat('x', 1000) FROM generate_series(1, 2000)");
        await disk.query('SELECT pg_switch_wal()');
        await disk.exec("INSERT INTO filler SELECT repeat('y', 1000) FROM generate_series(1, 2000); CHECKPOINT");
        const after = await walFiles(dir);
        assert.ok(
          after.some((name) => !before.includes(name)),
          `a new WAL segment was written (${before.join(',')} -> ${after.join(',')})`,
        );
      } finally {
        await disk.close();
      }
      assert.deepEqual(await notPrivate(dir), [], 'after use and a clean shutdown');
    } finally {
      process.umask(umask);
      await rm(root, { recursive: true, force: true });
    }
  });

  test('a cluster with files others can read (an older version, a copy) is made private when opened', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'tollgate-pglite-'));
    const dir = path.join(root, 'pglite');
    try {
      await (await PgliteDb.open({ dataDir: dir })).close();
      await chmod(path.join(dir, 'PG_VERSION'), 0o666);
      await chmod(path.join(dir, 'base'), 0o755);
      assert.equal((await notPrivate(dir)).length, 2);
      const reopened = await PgliteDb.open({ dataDir: dir });
      await reopened.close();
      assert.deepEqual(await notPrivate(dir), []);
      assert.equal((await stat(path.join(dir, 'PG_VERSION'))).mode & 0o777, 0o600);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  test('diskPath: plain paths and file:// are on disk, memory:// and browser stores are not', () => {
    assert.equal(diskPath('/var/lib/tollgate/pglite'), '/var/lib/tollgate/pglite');
    assert.equal(diskPath('./data/pglite'), './data/pglite');
    assert.equal(diskPath('file:///srv/pglite'), '/srv/pglite');
    assert.equal(diskPath('memory://'), undefined);
    assert.equal(diskPath('idb://tollgate'), undefined);
  });
});
