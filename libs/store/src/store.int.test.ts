import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '@tollgate/testkit';
import { PostgresDb, authEvents, migrate, radiusClients, settings, tokens, toUpn, users } from './index.js';

const database = await createTestDatabase('store');
const db = new PostgresDb({ url: database.url });
before(async () => {
  await migrate(db);
});
after(async () => {
  await db.close();
  await database.drop();
});

test('migrations are idempotent and safe when replicas run them together', async () => {
  const others = [new PostgresDb({ url: database.url }), new PostgresDb({ url: database.url })];
  const reports = await Promise.all([migrate(db), ...others.map((o) => migrate(o))]);
  for (const o of others) await o.close();
  assert.deepEqual(
    reports.map((r) => r.applied),
    [[], [], []],
  );
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
});

test('concurrent first migrations apply each file once', async () => {
  const fresh = await createTestDatabase('store_race');
  const dbs = Array.from({ length: 4 }, () => new PostgresDb({ url: fresh.url }));
  try {
    const reports = await Promise.all(dbs.map((d) => migrate(d)));
    assert.deepEqual(reports.flatMap((r) => r.applied).sort(), [
      '001_initial.sql',
      '002_claim_request_key.sql',
      '004_client_otp_mode.sql',
      '005_admin_accounts.sql',
      '006_groups.sql',
      '007_ldap_password_sources.sql',
      '008_fallback_codes.sql',
      '009_enrollment_portal.sql',
    ]);
  } finally {
    for (const d of dbs) await d.close();
    await fresh.drop();
  }
});

test('claimStep accepts each time step once, and never an older one', async () => {
  await users.create(db, { upn: 'replay@contoso.com' });
  await tokens.put(db, { upn: 'replay@contoso.com', secretSealed: 'v1.x', digits: 6, period: 30, algorithm: 'SHA1', source: 'generated' });
  assert.equal(await tokens.claimStep(db, 'replay@contoso.com', 100), true);
  assert.equal(await tokens.claimStep(db, 'replay@contoso.com', 100), false);
  assert.equal(await tokens.claimStep(db, 'replay@contoso.com', 99), false);
  assert.equal(await tokens.claimStep(db, 'replay@contoso.com', 101), true);
  const racers = await Promise.all(Array.from({ length: 20 }, () => tokens.claimStep(db, 'replay@contoso.com', 200)));
  assert.equal(racers.filter(Boolean).length, 1);
  // A new seed starts with no used step.
  await tokens.put(db, {
    upn: 'replay@contoso.com',
    secretSealed: 'v1.y',
    digits: 8,
    period: 60,
    algorithm: 'SHA256',
    source: 'hardware',
    serial: 'S1',
  });
  const token = await tokens.get(db, 'replay@contoso.com');
  assert.equal(token?.lastStep, null);
  assert.equal(token?.digits, 8);
  assert.equal(await tokens.claimStep(db, 'replay@contoso.com', 5), true);
});

test('users, their token summary and deletion cascade', async () => {
  assert.equal(await users.create(db, { upn: 'bob@contoso.com', displayName: 'Bob' }), true);
  assert.equal(await users.create(db, { upn: 'bob@contoso.com' }), false);
  assert.equal((await users.get(db, 'bob@contoso.com'))?.token, null);
  await tokens.put(db, { upn: 'bob@contoso.com', secretSealed: 'v1.z', digits: 6, period: 30, algorithm: 'SHA1', source: 'generated' });
  assert.equal((await users.get(db, 'bob@contoso.com'))?.token?.digits, 6);
  assert.equal(await users.update(db, 'bob@contoso.com', { enabled: false }), true);
  assert.equal((await tokens.get(db, 'bob@contoso.com'))?.userEnabled, false);
  assert.equal((await users.get(db, 'bob@contoso.com'))?.displayName, 'Bob');
  const page = await users.list(db, { limit: 10, search: 'bob' });
  assert.deepEqual(
    page.map((u) => u.upn),
    ['bob@contoso.com'],
  );
  assert.equal(await users.remove(db, 'bob@contoso.com'), true);
  assert.equal(await tokens.get(db, 'bob@contoso.com'), null);
});

test('radius clients, settings and auth events', async () => {
  await radiusClients.create(db, {
    id: 'c1',
    name: 'vpn',
    address: '10.0.0.0/24',
    secretSealed: 'v1.s',
    requireMessageAuthenticator: true,
  });
  await assert.rejects(
    radiusClients.create(db, { id: 'c2', name: 'vpn', address: '10.0.1.1', secretSealed: 'v1.s', requireMessageAuthenticator: true }),
    { code: '23505' },
  );
  assert.equal(await radiusClients.update(db, 'c1', { requireMessageAuthenticator: false }), true);
  assert.equal((await radiusClients.get(db, 'c1'))?.requireMessageAuthenticator, false);
  assert.equal(await settings.get(db, 'entra'), null);
  await settings.put(db, 'policy', { otpMaxFailures: 3, otpLockoutSeconds: 60 });
  assert.deepEqual(await settings.get(db, 'policy'), { otpMaxFailures: 3, otpLockoutSeconds: 60 });
  const base = { requestId: 'r', username: 'carol', clientName: 'vpn', clientAddress: '10.0.0.1', aadsts: null, latencyMs: 12 };
  await authEvents.insertMany(db, [
    { ...base, at: new Date(Date.now() - 1000), upn: 'carol@contoso.com', decision: 'reject', reason: 'otp.invalid' },
    { ...base, at: new Date(), upn: 'carol@contoso.com', decision: 'accept', reason: 'ok', aadsts: 50076 },
    { ...base, at: new Date(), upn: 'dave@contoso.com', decision: 'reject', reason: 'user.unknown' },
  ]);
  const carol = await authEvents.latest(db, { upn: 'carol@contoso.com', limit: 10 });
  assert.deepEqual(
    carol.map((e) => e.reason),
    ['ok', 'otp.invalid'],
  );
  assert.equal(carol[0]?.aadsts, 50076);
});

test('toUpn canonicalises names', () => {
  assert.equal(toUpn(' Alice ', 'Contoso.com'), 'alice@contoso.com');
  assert.equal(toUpn('Alice@Fabrikam.com', 'contoso.com'), 'alice@fabrikam.com');
  assert.equal(toUpn('alice', null), 'alice');
  assert.equal(toUpn('alice', '@contoso.com'), 'alice@contoso.com');
});

test('the request that claimed a step may claim it again within the window; nothing else may', async () => {
  const upn = 'rerun@contoso.com';
  await users.create(db, { upn });
  await tokens.put(db, { upn, secretSealed: 'v1.x', digits: 6, period: 30, algorithm: 'SHA1', source: 'generated' });
  const key = 'a'.repeat(32);
  assert.equal(await tokens.claimStep(db, upn, 500, key), true);
  assert.equal(await tokens.claimStep(db, upn, 500, key), true, 'a re-run of the same request');
  assert.equal(await tokens.claimStep(db, upn, 500, 'b'.repeat(32)), false, 'another request with the same code');
  assert.equal(await tokens.claimStep(db, upn, 500), false, 'a request without a key');
  assert.equal(await tokens.claimStep(db, upn, 499, key), false, 'an older step, even by the same request');
  assert.deepEqual(
    await tokens.claimSteps(db, [
      { upn, step: 500, requestKey: key },
      { upn, step: 500, requestKey: 'c'.repeat(32) },
      { upn, step: 500, requestKey: key },
    ]),
    [true, false, true],
  );
  await db.query(`UPDATE totp_tokens SET last_claimed_at = now() - interval '31 seconds' WHERE upn = $1`, [upn]);
  assert.equal(await tokens.claimStep(db, upn, 500, key), false, 'past the retransmission window it is a replay');
  assert.equal(await tokens.claimStep(db, upn, 501, 'd'.repeat(32)), true);
});

test('the repeat-claim window is 30 s from the first claim: re-claims never move it (PostgreSQL)', async () => {
  const upn = 'window@contoso.com';
  await users.create(db, { upn });
  await tokens.put(db, { upn, secretSealed: 'v1.x', digits: 6, period: 30, algorithm: 'SHA1', source: 'generated' });
  const key = 'e'.repeat(32);
  const first = Date.parse('2026-03-01T10:00:00Z');
  assert.equal(await tokens.claimStep(db, upn, 900, key, first), true);
  // Re-claims every 10 s: each wins while within 30 s of the FIRST claim, and none moves it.
  assert.equal(await tokens.claimStep(db, upn, 900, key, first + 10_000), true);
  assert.equal(await tokens.claimStep(db, upn, 900, key, first + 20_000), true);
  assert.equal(await tokens.claimStep(db, upn, 900, key, first + 29_999), true);
  const { rows } = await db.query<{ at: Date }>(`SELECT last_claimed_at AS at FROM totp_tokens WHERE upn = $1`, [upn]);
  assert.equal(rows[0]!.at.getTime(), first, 'the first claim time is kept');
  assert.equal(await tokens.claimStep(db, upn, 900, key, first + 30_000), false, '30 s after the first claim it is a replay');
  assert.equal(await tokens.claimStep(db, upn, 900, key, first + 40_000), false);
  // A clock behind the first claim's opens nothing either.
  assert.equal(await tokens.claimStep(db, upn, 900, key, first - 1), false);
  // A new step starts a new window.
  assert.equal(await tokens.claimStep(db, upn, 901, key, first + 45_000), true);
  assert.equal(await tokens.claimStep(db, upn, 901, key, first + 74_999), true);
  assert.equal(await tokens.claimStep(db, upn, 901, key, first + 75_000), false);
});
