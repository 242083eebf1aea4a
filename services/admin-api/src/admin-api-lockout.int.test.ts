/**
 * `DELETE /api/v1/users/:username/lockout` over real HTTP, on Redis (another replica's connection
 * sees the counters go) and on the memory store: the OTP and wrong-password counters of the user
 * are cleared, another user's and the per-source counter are not, and the reset is audited.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { otpFailureKey, passwordFailureKey } from '@tollgate/runtime';
import { MemoryStateStore, RedisStateStore, type StateStore } from '@tollgate/state';
import { TEST_REDIS_URL, uniquePrefix } from '@tollgate/testkit';
import { startHarness, type Harness } from './testing/admin-api-harness.js';

const SOURCE_KEY = 'pw:fail:station:198.51.100.7';

for (const backend of ['redis', 'memory'] as const) {
  describe(`admin API: lockout reset (${backend})`, () => {
    let h: Harness;
    let state: StateStore;
    /** What another process sees: a second connection on Redis, the same store in memory. */
    let other: StateStore;
    before(async () => {
      if (backend === 'redis') {
        const keyPrefix = `${uniquePrefix('lock')}:`;
        const mine = new RedisStateStore({ url: TEST_REDIS_URL, keyPrefix });
        const theirs = new RedisStateStore({ url: TEST_REDIS_URL, keyPrefix });
        await mine.connect();
        await theirs.connect();
        state = mine;
        other = theirs;
      } else {
        state = new MemoryStateStore();
        other = state;
      }
      h = await startHarness(`adm_lock_${backend}`, {}, { state });
      for (const username of ['alice@contoso.com', 'bob@contoso.com']) {
        assert.equal((await h.call('POST', '/api/v1/users', { body: { username } })).status, 201);
      }
    });
    after(async () => {
      await h.close();
      await state.close();
      if (other !== state) await other.close();
    });

    test('clears the user OTP and password counters, nothing else', async () => {
      for (let i = 0; i < 3; i++) await other.increment(otpFailureKey('alice@contoso.com'), 60_000);
      for (let i = 0; i < 2; i++) await other.increment(passwordFailureKey('alice@contoso.com'), 60_000);
      await other.increment(otpFailureKey('bob@contoso.com'), 60_000);
      await other.increment(SOURCE_KEY, 60_000);

      const answer = await h.call('DELETE', '/api/v1/users/alice@contoso.com/lockout');
      assert.equal(answer.status, 200, answer.text);
      assert.deepEqual(answer.body, { username: 'alice@contoso.com', cleared: { otpFailures: 3, passwordFailures: 2 } });
      assert.equal(await other.counter(otpFailureKey('alice@contoso.com')), 0);
      assert.equal(await other.counter(passwordFailureKey('alice@contoso.com')), 0);
      assert.equal(await other.counter(otpFailureKey('bob@contoso.com')), 1);
      assert.equal(await other.counter(SOURCE_KEY), 1);

      const log = await h.call('GET', '/api/v1/audit-log?action=user.lockout.reset');
      assert.deepEqual(
        log.body.entries.map((e: { target: string; details: unknown }) => [e.target, e.details]),
        [['alice@contoso.com', { otpFailures: 3, passwordFailures: 2 }]],
      );
    });

    test('an unknown user is 404 naming username; a bad name is 400', async () => {
      const unknown = await h.call('DELETE', '/api/v1/users/carol@contoso.com/lockout');
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error.field, 'username');
      const bad = await h.call('DELETE', `/api/v1/users/${encodeURIComponent('a b@contoso.com')}/lockout`);
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.field, 'username');
    });
  });
}
