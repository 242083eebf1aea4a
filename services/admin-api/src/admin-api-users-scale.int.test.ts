/**
 * The users list at 100,000 users on real PostgreSQL, as the console pages through it: a page
 * after any name is a primary-key range scan (keyset, no OFFSET), so page 4,000 costs what page 1
 * does; search by part of a name still answers well within a second (a scan of one narrow table:
 * about 10 ms here at this size).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './testing/admin-api-harness.js';

const USERS = 100_000;
const upnOf = (i: number) => `user${String(i).padStart(6, '0')}@contoso.com`;

describe('admin API: the users list at 100,000 users', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness('adm_users_scale');
    await h.db.query(
      `INSERT INTO users (upn, display_name) SELECT 'user' || lpad(i::text, 6, '0') || '@contoso.com', 'User ' || i FROM generate_series(1, $1::int) i`,
      [USERS],
    );
    await h.db.query('ANALYZE users');
  });
  after(() => h.close());

  test('pages follow each other by keyset, the first and a late one alike', async () => {
    const first = await h.call('GET', '/api/v1/users?limit=25');
    assert.equal(first.body.users.length, 25);
    assert.equal(first.body.next, upnOf(25));
    const late = await h.call('GET', `/api/v1/users?limit=25&after=${encodeURIComponent(upnOf(99_950))}`);
    assert.deepEqual(
      late.body.users.map((u: { upn: string }) => u.upn),
      Array.from({ length: 25 }, (_, i) => upnOf(99_951 + i)),
    );
    const last = await h.call('GET', `/api/v1/users?limit=25&after=${encodeURIComponent(upnOf(99_990))}`);
    assert.equal(last.body.users.length, 10);
    assert.equal(last.body.next, null);
  });

  test('a page after a name reads the primary key index, not the table', async () => {
    const { rows } = await h.db.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT u.upn FROM users u LEFT JOIN totp_tokens t ON t.upn = u.upn
       WHERE ($1::text IS NULL OR u.upn > $1) AND ($2::text IS NULL OR u.upn LIKE '%' || $2 || '%') ORDER BY u.upn LIMIT 25`,
      [upnOf(50_000), null],
    );
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    assert.match(plan, /Index (Only )?Scan using users_pkey/, plan);
    assert.doesNotMatch(plan, /Seq Scan on users/, plan);
  });

  test('a search for a rare part of a name finds it within a second', async () => {
    const started = performance.now();
    const found = await h.call('GET', '/api/v1/users?limit=25&search=099999');
    const ms = performance.now() - started;
    assert.deepEqual(
      found.body.users.map((u: { upn: string }) => u.upn),
      [upnOf(99_999)],
    );
    assert.ok(ms < 1000, `search took ${Math.round(ms)} ms`);
  });
});
