/**
 * The dashboard's routes on real PostgreSQL: decisions by bucket and reason, the most rejected
 * users and clients within the window only, a bad window named; the services' health; a user's
 * latest accept and reject on its page.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { authEvents, type AuthEvent } from '@tollgate/store';
import { startHarness, type Harness } from './testing/admin-api-harness.js';

const MINUTE = 60_000;

function event(minutesAgo: number, decision: AuthEvent['decision'], reason: string, upn: string, client = 'vpn-a'): AuthEvent {
  return {
    at: new Date(Date.now() - minutesAgo * MINUTE),
    requestId: `r-${Math.random()}`,
    username: upn,
    upn,
    clientName: client,
    clientAddress: client === 'vpn-a' ? '192.0.2.1' : '192.0.2.2',
    decision,
    reason,
    aadsts: null,
    latencyMs: 12,
  };
}

describe('admin API: dashboard statistics and health', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness('adm_stats');
    await authEvents.insertMany(h.db, [
      event(1, 'accept', 'ok', 'alice@contoso.com'),
      event(2, 'accept', 'ok', 'bob@contoso.com'),
      event(3, 'reject', 'otp.invalid', 'bob@contoso.com'),
      event(4, 'reject', 'otp.invalid', 'bob@contoso.com', 'vpn-b'),
      event(5, 'reject', 'entra.invalid_credentials', 'carol@contoso.com', 'vpn-b'),
      event(6, 'reject', 'entra.invalid_credentials', 'carol@contoso.com', 'vpn-b'),
      event(7, 'reject', 'entra.invalid_credentials', 'carol@contoso.com', 'vpn-b'),
      // Hours ago: in the day, not in the hour.
      event(180, 'reject', 'user.unknown', 'dave@contoso.com'),
      event(181, 'accept', 'ok', 'alice@contoso.com'),
      // Two days ago: in neither.
      event(2 * 24 * 60, 'reject', 'user.unknown', 'erin@contoso.com'),
    ]);
  });
  after(() => h.close());

  test('the last hour: 12 buckets of 5 minutes, totals, reasons, top users and clients', async () => {
    const answer = await h.call('GET', '/api/v1/stats/auth?window=1h');
    assert.equal(answer.status, 200, answer.text);
    const stats = answer.body;
    assert.equal(stats.window, '1h');
    assert.equal(stats.bucketSeconds, 300);
    assert.equal(stats.buckets.length, 12);
    assert.deepEqual(stats.totals, { accepts: 2, challenges: 0, rejects: 5 });
    assert.deepEqual(stats.rejectReasons, [
      { reason: 'entra.invalid_credentials', count: 3 },
      { reason: 'otp.invalid', count: 2 },
    ]);
    const summed = stats.buckets.reduce((n: number, b: { accepts: number; rejects: number }) => n + b.accepts + b.rejects, 0);
    assert.equal(summed, 7);
    assert.deepEqual(
      stats.topUsers.map((u: { username: string; rejects: number }) => [u.username, u.rejects]),
      [
        ['carol@contoso.com', 3],
        ['bob@contoso.com', 2],
      ],
    );
    assert.deepEqual(stats.topClients, [
      { clientName: 'vpn-b', clientAddress: '192.0.2.2', rejects: 4 },
      { clientName: 'vpn-a', clientAddress: '192.0.2.1', rejects: 1 },
    ]);
  });

  test('the last day: hourly buckets, the older events too, none from two days ago', async () => {
    const stats = (await h.call('GET', '/api/v1/stats/auth?window=24h')).body;
    assert.equal(stats.buckets.length, 24);
    assert.equal(stats.bucketSeconds, 3600);
    assert.deepEqual(stats.totals, { accepts: 3, challenges: 0, rejects: 6 });
    assert.ok(stats.topUsers.some((u: { username: string }) => u.username === 'dave@contoso.com'));
    assert.ok(!stats.topUsers.some((u: { username: string }) => u.username === 'erin@contoso.com'));
  });

  test('a window that is neither 1h nor 24h is a 400 naming it', async () => {
    const answer = await h.call('GET', '/api/v1/stats/auth?window=7d');
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error.field, 'window');
    assert.equal((await h.call('GET', '/api/v1/stats/auth?windows=1h')).body.error.field, 'windows');
  });

  test('the health route reports the bus, the database and the replicas that answer discovery', async () => {
    const served = await h.bus.serve({
      name: 'otp-verifier',
      version: '0.1.0',
      endpoints: [{ name: 'verify', subject: 'test.health.verify', handler: async () => ({ ok: true }) }],
    });
    await h.bus.request('test.health.verify', {}, { timeoutMs: 1000 });
    const answer = await h.call('GET', '/api/v1/services/health');
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(answer.body.bus, { kind: 'memory', connected: true });
    assert.equal(answer.body.database.ok, true);
    assert.equal(answer.body.discovery, 'ok');
    // The admin API itself answers on the bus (the enrolment portal's subjects), so it is a replica too.
    const names = (replicas: Array<{ name: string }>) => replicas.map((r) => r.name).sort();
    assert.deepEqual(names(answer.body.replicas), ['admin-api', 'otp-verifier']);
    const otp = answer.body.replicas.find((r: { name: string }) => r.name === 'otp-verifier');
    assert.equal(otp.requests, 1);
    await served.stop();
    assert.deepEqual(names((await h.call('GET', '/api/v1/services/health')).body.replicas), ['admin-api']);
  });

  test("a user's page shows the latest accept and reject", async () => {
    for (const upn of ['bob@contoso.com', 'frank@contoso.com']) {
      assert.equal((await h.call('POST', '/api/v1/users', { body: { username: upn } })).status, 201);
    }
    const bob = (await h.call('GET', '/api/v1/users/bob@contoso.com')).body;
    assert.equal(bob.lastAccept.reason, 'ok');
    assert.equal(bob.lastAccept.clientName, 'vpn-a');
    assert.equal(bob.lastReject.reason, 'otp.invalid');
    assert.ok(Date.parse(bob.lastAccept.at) > Date.parse(bob.lastReject.at));
    const frank = (await h.call('GET', '/api/v1/users/frank@contoso.com')).body;
    assert.equal(frank.lastAccept, null);
    assert.equal(frank.lastReject, null);
  });
});
