/**
 * Admin accounts and console sessions over real HTTP against PostgreSQL: sign-in sets an HttpOnly
 * SameSite=Strict cookie, the session answers who and the CSRF token, a change with the cookie
 * needs X-CSRF-Token (bearer requests do not), an unknown account and a wrong password get the
 * same answer, failed sign-ins are limited per account (429, Retry-After), signing out ends the
 * session, the last admin cannot go (409), the password policy names the field, and no password,
 * hash or session id reaches a log line.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeQrPng, oathtoolTotp, pngDataUrlBytes } from '@tollgate/testkit';
import { generateTotp } from '@tollgate/totp';
import { permissionsOf } from './permissions.js';
import { leaks, startHarness, type Harness } from './testing/admin-api-harness.js';

const PASSWORD = 'a-long-console-password';

describe('admin API: accounts and sessions', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness('adm_session');
  });
  after(() => h.close());

  async function signIn(username: string, password: string) {
    return h.call('POST', '/api/v1/session', { authorization: null, body: { username, password } });
  }
  const cookieOf = (answer: { headers: Headers }) => (answer.headers.get('set-cookie') ?? '').split(';')[0]!;
  const withCookie = (cookie: string, csrf?: string) => ({
    authorization: null,
    headers: { cookie, ...(csrf !== undefined ? { 'x-csrf-token': csrf } : {}) },
  });

  test('create accounts; the password policy and names are checked', async () => {
    const created = await h.call('POST', '/api/v1/admins', { body: { username: 'root', password: PASSWORD, role: 'admin' } });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(
      [created.body.username, created.body.role, created.body.hasTotp, created.body.disabled],
      ['root', 'admin', false, false],
    );
    assert.equal(created.body.passwordHash, undefined);
    assert.equal(
      (await h.call('POST', '/api/v1/admins', { body: { username: 'desk', password: PASSWORD, role: 'helpdesk' } })).status,
      201,
    );
    const table: [unknown, string][] = [
      [{ username: 'x', password: 'short', role: 'admin' }, 'password'],
      [{ username: 'bob', password: 'bob-is-my-password', role: 'admin' }, 'password'],
      [{ username: 'Bad Name', password: PASSWORD, role: 'admin' }, 'username'],
      [{ username: 'ok', password: PASSWORD, role: 'root' }, 'role'],
    ];
    for (const [body, field] of table) {
      const answer = await h.call('POST', '/api/v1/admins', { body });
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(answer.body.error.field, field);
    }
    assert.equal((await h.call('POST', '/api/v1/admins', { body: { username: 'root', password: PASSWORD, role: 'auditor' } })).status, 409);
  });

  test('sign in, see the session, CSRF on changes, sign out', async () => {
    const answer = await signIn('root', PASSWORD);
    assert.equal(answer.status, 201, answer.text);
    const setCookie = answer.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /^tg_session=[A-Za-z0-9_-]{43}; Path=\/api\/v1; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    const cookie = cookieOf(answer);
    const csrf: string = answer.body.csrfToken;

    const me = await h.call('GET', '/api/v1/session', withCookie(cookie));
    assert.deepEqual(me.body, {
      username: 'root',
      kind: 'account',
      role: 'admin',
      permissions: permissionsOf('admin'),
      csrfToken: csrf,
      totpEnrolmentRequired: false,
    });

    const noCsrf = await h.call('POST', '/api/v1/users', { ...withCookie(cookie), body: { username: 'a@contoso.com' } });
    assert.equal(noCsrf.status, 403);
    assert.match(noCsrf.body.error.message, /X-CSRF-Token/);
    const wrongCsrf = await h.call('POST', '/api/v1/users', { ...withCookie(cookie, `${csrf}x`), body: { username: 'a@contoso.com' } });
    assert.equal(wrongCsrf.status, 403);
    const ok = await h.call('POST', '/api/v1/users', { ...withCookie(cookie, csrf), body: { username: 'a@contoso.com' } });
    assert.equal(ok.status, 201, ok.text);
    // A bearer request needs no CSRF token.
    assert.equal((await h.call('POST', '/api/v1/users', { body: { username: 'b@contoso.com' } })).status, 201);

    const log = await h.call('GET', '/api/v1/audit-log?target=a@contoso.com');
    assert.deepEqual([log.body.entries[0].actor, log.body.entries[0].actorKind, log.body.entries[0].role], ['root', 'account', 'admin']);

    assert.equal((await h.call('DELETE', '/api/v1/session', withCookie(cookie, csrf))).status, 204);
    assert.equal((await h.call('GET', '/api/v1/session', withCookie(cookie))).status, 401);
    assert.deepEqual(leaks(h, cookie.split('=')[1]!), []);
  });

  test('a helpdesk session has the helpdesk role', async () => {
    const answer = await signIn('desk', PASSWORD);
    const cookie = cookieOf(answer);
    assert.equal((await h.call('GET', '/api/v1/users', withCookie(cookie))).status, 200);
    assert.equal((await h.call('GET', '/api/v1/settings/policy', withCookie(cookie))).status, 403);
    assert.equal((await h.call('GET', '/api/v1/admins', withCookie(cookie))).status, 403);
  });

  test('unknown account and wrong password: the same answer; then 429 per account', async () => {
    const unknown = await signIn('nobody', PASSWORD);
    const wrong = await signIn('desk', 'not-the-right-password');
    assert.equal(unknown.status, 401);
    assert.deepEqual(unknown.body, wrong.body);
    for (let i = 0; i < 4; i++) assert.equal((await signIn('desk', 'not-the-right-password')).status, 401);
    const limited = await signIn('desk', PASSWORD);
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
  });

  test('the last admin cannot be deleted, disabled or demoted; a demotion ends sessions', async () => {
    for (const [method, body] of [
      ['DELETE', undefined],
      ['PATCH', { disabled: true }],
      ['PATCH', { role: 'auditor' }],
    ] as const) {
      const answer = await h.call(method, '/api/v1/admins/root', body ? { body } : {});
      assert.equal(answer.status, 409, `${method} ${JSON.stringify(body)}`);
    }
    assert.equal((await h.call('POST', '/api/v1/admins', { body: { username: 'second', password: PASSWORD, role: 'admin' } })).status, 201);
    const session = cookieOf(await signIn('root', PASSWORD));
    assert.equal((await h.call('PATCH', '/api/v1/admins/root', { body: { role: 'auditor' } })).status, 200);
    assert.equal((await h.call('GET', '/api/v1/session', withCookie(session))).status, 401, 'the demoted account signs in again');
    assert.equal((await h.call('DELETE', '/api/v1/admins/root')).status, 204);
    assert.equal((await h.call('GET', '/api/v1/admins/root')).status, 404);
    assert.equal((await signIn('root', PASSWORD)).status, 401);
  });

  test('own TOTP: enrol with a code, then sign-in needs a code, and a used code fails', async () => {
    assert.equal((await h.call('POST', '/api/v1/admins', { body: { username: 'otp', password: PASSWORD, role: 'auditor' } })).status, 201);
    const session = await signIn('otp', PASSWORD);
    const cookie = cookieOf(session);
    const csrf: string = session.body.csrfToken;
    const begun = await h.call('POST', '/api/v1/session/totp', withCookie(cookie, csrf));
    assert.equal(begun.status, 201, begun.text);
    const seed: string = begun.body.secret;
    assert.match(begun.body.uri, /^otpauth:\/\/totp\//);
    assert.equal(decodeQrPng(pngDataUrlBytes(begun.body.qrCode)), begun.body.uri, 'the QR code holds the URI');
    const wrong = await h.call('PUT', '/api/v1/session/totp', { ...withCookie(cookie, csrf), body: { code: '000000' } });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error.field, 'code');
    const code = await oathtoolTotp({ base32Secret: seed, digits: 6, period: 30, algorithm: 'SHA1' });
    const confirmed = await h.call('PUT', '/api/v1/session/totp', { ...withCookie(cookie, csrf), body: { code } });
    assert.equal(confirmed.status, 200, confirmed.text);

    const noCode = await signIn('otp', PASSWORD);
    assert.equal(noCode.status, 401);
    assert.equal(noCode.body.error.field, 'code');
    // The code that confirmed the enrolment was used: it cannot sign in.
    const reused = await h.call('POST', '/api/v1/session', { authorization: null, body: { username: 'otp', password: PASSWORD, code } });
    assert.equal(reused.status, 401);
    const next = generateTotp({ secret: seed, digits: 6, period: 30, algorithm: 'SHA1', nowMs: Date.now() + 30_000 });
    const fresh = await h.call('POST', '/api/v1/session', {
      authorization: null,
      body: { username: 'otp', password: PASSWORD, code: next },
    });
    assert.equal(fresh.status, 201, fresh.text);
    const again = await h.call('POST', '/api/v1/session', {
      authorization: null,
      body: { username: 'otp', password: PASSWORD, code: next },
    });
    assert.equal(again.status, 401, 'a code works once');
    assert.equal((await h.call('POST', '/api/v1/session/totp', {})).status, 400, 'a token has no own TOTP');
    assert.deepEqual(leaks(h, seed, [begun.text]), []);
    assert.equal((await h.call('GET', '/api/v1/admins/otp')).body.hasTotp, true);
  });

  test('no password or hash in any log line or later response', () => {
    assert.deepEqual(leaks(h, PASSWORD), []);
    assert.ok(!h.logs.some((l) => l.includes('scrypt$')));
    assert.ok(!h.responses.some((r) => r.includes('scrypt$')));
  });
});
