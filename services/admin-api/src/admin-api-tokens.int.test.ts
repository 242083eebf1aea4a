/**
 * Named API tokens and the admin audit log over real HTTP against PostgreSQL: a token is shown
 * once, listed without its value, works with its role, is stamped when used and stops working when
 * revoked; every change is in the audit log with its actor, role and source, and no token value is
 * ever in a response after creation or in a log line.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { leaks, startHarness, type Harness } from './testing/admin-api-harness.js';

describe('admin API: API tokens and the audit log', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness('adm_tokens');
  });
  after(() => h.close());

  test('create, list, use, revoke', async () => {
    const created = await h.call('POST', '/api/v1/api-tokens', { body: { name: 'helpdesk-bot', role: 'helpdesk' } });
    assert.equal(created.status, 201, created.text);
    const token: string = created.body.token;
    assert.match(token, /^tg_[A-Za-z0-9_-]{43}$/);
    const createdText = created.text;

    const list = await h.call('GET', '/api/v1/api-tokens');
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.apiTokens.map((t: { name: string; role: string; lastUsedAt: unknown }) => [t.name, t.role, t.lastUsedAt]),
      [['helpdesk-bot', 'helpdesk', null]],
    );

    const asHelpdesk = { authorization: `Bearer ${token}` };
    assert.equal((await h.call('POST', '/api/v1/users', { ...asHelpdesk, body: { username: 'alice@contoso.com' } })).status, 201);
    assert.equal((await h.call('GET', '/api/v1/settings/policy', asHelpdesk)).status, 403);
    const used = await h.call('GET', '/api/v1/api-tokens');
    assert.ok(used.body.apiTokens[0].lastUsedAt, 'last use stamped');

    assert.equal((await h.call('DELETE', '/api/v1/api-tokens/helpdesk-bot')).status, 204);
    assert.equal((await h.call('GET', '/api/v1/users', asHelpdesk)).status, 401);
    assert.equal((await h.call('DELETE', '/api/v1/api-tokens/helpdesk-bot')).status, 404);
    assert.deepEqual(leaks(h, token, [createdText]), []);
    assert.deepEqual(leaks(h, token.slice(3), [createdText]), [], 'not even without its prefix');
  });

  test('bad input names the field; a taken name is 409', async () => {
    const table: [unknown, string][] = [
      [{ name: 'x', role: 'root' }, 'role'],
      [{ name: '', role: 'admin' }, 'name'],
      [{ name: 'has space', role: 'admin' }, 'name'],
      [{ name: 'bootstrap', role: 'admin' }, 'name'],
      [{ role: 'admin' }, 'name'],
      [{ name: 'ok', role: 'admin', token: 'chosen' }, 'token'],
    ];
    for (const [body, field] of table) {
      const answer = await h.call('POST', '/api/v1/api-tokens', { body });
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(answer.body.error.field, field, JSON.stringify(body));
    }
    assert.equal((await h.call('POST', '/api/v1/api-tokens', { body: { name: 'twice', role: 'auditor' } })).status, 201);
    const again = await h.call('POST', '/api/v1/api-tokens', { body: { name: 'twice', role: 'admin' } });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.field, 'name');
  });

  test('the audit log names actor, role, source and outcome, filters and pages', async () => {
    const log = await h.call('GET', '/api/v1/audit-log?action=api_token.');
    assert.equal(log.status, 200, log.text);
    const actions = log.body.entries.map((e: { action: string; target: string }) => `${e.action} ${e.target}`);
    assert.deepEqual(actions, ['api_token.create twice', 'api_token.delete helpdesk-bot', 'api_token.create helpdesk-bot']);
    const first = log.body.entries[2];
    assert.equal(first.actor, 'bootstrap');
    assert.equal(first.actorKind, 'token');
    assert.equal(first.role, 'admin');
    assert.equal(first.outcome, 'success');
    assert.match(first.source, /127\.0\.0\.1/);
    assert.deepEqual(first.details, { role: 'helpdesk' });

    const byHelpdesk = await h.call('GET', '/api/v1/audit-log?actor=helpdesk-bot');
    assert.deepEqual(
      byHelpdesk.body.entries.map((e: { action: string; role: string }) => [e.action, e.role]),
      [['user.create', 'helpdesk']],
    );

    const page1 = await h.call('GET', '/api/v1/audit-log?limit=2');
    assert.equal(page1.body.entries.length, 2);
    const page2 = await h.call('GET', `/api/v1/audit-log?limit=2&before=${page1.body.next}`);
    assert.ok(Number(page2.body.entries[0].id) < Number(page1.body.entries[1].id));

    const future = await h.call('GET', '/api/v1/audit-log?since=2999-01-01T00:00:00Z');
    assert.deepEqual(future.body.entries, []);
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['before=abc', 'before'],
      ['since=yesterday', 'since'],
      ['colour=red', 'colour'],
    ]) {
      const bad = await h.call('GET', `/api/v1/audit-log?${query}`);
      assert.equal(bad.status, 400, query);
      assert.equal(bad.body.error.field, field, query);
    }
  });
});
