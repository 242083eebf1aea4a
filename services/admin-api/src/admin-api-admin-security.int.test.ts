/**
 * The `requireTotpForAdmins` setting over real HTTP against PostgreSQL: off by default; a session
 * whose own account has no TOTP cannot turn it on (409), an API token can; with it on, an admin
 * account without a TOTP (signed in before or after) may only see who it is, sign out and enrol
 * its TOTP (403 `totp_enrolment_required` elsewhere), and once enrolled its session is full;
 * other roles are not held back; every change is audited.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { oathtoolTotp } from '@tollgate/testkit';
import { startHarness, type CallOptions, type Harness } from './testing/admin-api-harness.js';

const PASSWORD = 'a-long-console-password';
const SETTING = '/api/v1/settings/admin-security';

interface Session {
  cookie: string;
  csrf: string;
  signIn: { status: number; body: { totpEnrolmentRequired?: boolean } };
}

describe('admin API: TOTP required for admins', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness('adm_admin_security');
    for (const [username, role] of [
      ['chief', 'admin'],
      ['second', 'admin'],
      ['desk', 'helpdesk'],
    ]) {
      const created = await h.call('POST', '/api/v1/admins', { body: { username, password: PASSWORD, role } });
      assert.equal(created.status, 201, created.text);
    }
  });
  after(() => h.close());

  async function signIn(username: string): Promise<Session> {
    const answer = await h.call('POST', '/api/v1/session', { authorization: null, body: { username, password: PASSWORD } });
    assert.equal(answer.status, 201, answer.text);
    return { cookie: (answer.headers.get('set-cookie') ?? '').split(';')[0]!, csrf: answer.body.csrfToken, signIn: answer };
  }
  const as = (session: Session, options: CallOptions = {}): CallOptions => ({
    ...options,
    authorization: null,
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
  });
  async function enrol(session: Session): Promise<void> {
    const begun = await h.call('POST', '/api/v1/session/totp', as(session));
    assert.equal(begun.status, 201, begun.text);
    const code = await oathtoolTotp({ base32Secret: begun.body.secret });
    const confirmed = await h.call('PUT', '/api/v1/session/totp', as(session, { body: { code } }));
    assert.equal(confirmed.status, 200, confirmed.text);
  }
  const assertHeldBack = (answer: { status: number; body: { error?: { code: string; message: string } } }, label: string) => {
    assert.equal(answer.status, 403, label);
    assert.equal(answer.body.error?.code, 'totp_enrolment_required', label);
    assert.match(answer.body.error!.message, /enrol it \(POST, then PUT \/api\/v1\/session\/totp\)/, label);
  };

  let early: Session;

  test('off by default; bad bodies are refused naming the field', async () => {
    early = await signIn('chief');
    assert.equal(early.signIn.body.totpEnrolmentRequired, false);
    assert.deepEqual((await h.call('GET', SETTING)).body, { requireTotpForAdmins: false });
    for (const [body, field] of [
      [{ requireTotpForAdmins: 'yes' }, 'requireTotpForAdmins'],
      [{}, 'requireTotpForAdmins'],
      [{ requireTotpForAdmins: true, requireTotpForEveryone: true }, 'requireTotpForEveryone'],
    ] as const) {
      const answer = await h.call('PUT', SETTING, { body });
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(answer.body.error.field, field);
    }
  });

  test('a session whose own account has no TOTP cannot turn it on (409); turning it off is fine', async () => {
    const refused = await h.call('PUT', SETTING, as(early, { body: { requireTotpForAdmins: true } }));
    assert.equal(refused.status, 409, refused.text);
    assert.equal(refused.body.error.field, 'requireTotpForAdmins');
    assert.match(refused.body.error.message, /own account has no TOTP; enrol yours first/);
    assert.deepEqual((await h.call('GET', SETTING)).body, { requireTotpForAdmins: false }, 'nothing changed');
    const off = await h.call('PUT', SETTING, as(early, { body: { requireTotpForAdmins: false } }));
    assert.equal(off.status, 200, off.text);
  });

  test('an API token turns it on, and the change is audited', async () => {
    const on = await h.call('PUT', SETTING, { body: { requireTotpForAdmins: true } });
    assert.equal(on.status, 200, on.text);
    assert.deepEqual(on.body, { requireTotpForAdmins: true });
    assert.deepEqual((await h.call('GET', SETTING)).body, { requireTotpForAdmins: true });
    const audit = await h.call('GET', '/api/v1/audit-log?action=settings.admin_security.update');
    assert.deepEqual(
      audit.body.entries.map((e: { actor: string; details: unknown }) => [e.actor, e.details]),
      [
        ['bootstrap', { requireTotpForAdmins: true }],
        ['chief', { requireTotpForAdmins: false }],
      ],
    );
  });

  test('an admin session opened before is held back: who am I, sign out and enrolment only', async () => {
    const who = await h.call('GET', '/api/v1/session', as(early));
    assert.equal(who.status, 200);
    assert.equal(who.body.totpEnrolmentRequired, true);
    assertHeldBack(await h.call('GET', '/api/v1/users', as(early)), 'GET /users');
    assertHeldBack(await h.call('GET', SETTING, as(early)), 'GET setting');
    assertHeldBack(await h.call('PUT', SETTING, as(early, { body: { requireTotpForAdmins: false } })), 'cannot turn it off for itself');
    assertHeldBack(await h.call('GET', '/api/v1/openapi.json', as(early)), 'GET openapi.json');
    assert.equal((await h.call('DELETE', '/api/v1/session', as(early))).status, 204, 'sign out stays open');
    assert.equal((await h.call('GET', '/api/v1/session', as(early))).status, 401, 'and signed out');
  });

  test('a new sign-in says enrolment is required; once the TOTP is confirmed the session is full', async () => {
    const session = await signIn('second');
    assert.equal(session.signIn.body.totpEnrolmentRequired, true);
    assertHeldBack(
      await h.call('POST', '/api/v1/admins', as(session, { body: { username: 'sneak', password: PASSWORD, role: 'admin' } })),
      'POST /admins',
    );
    assert.equal((await h.call('GET', '/api/v1/admins/sneak')).status, 404, 'nothing was created');
    await enrol(session);
    const who = await h.call('GET', '/api/v1/session', as(session));
    assert.equal(who.body.totpEnrolmentRequired, false);
    assert.equal((await h.call('GET', '/api/v1/users', as(session))).status, 200);
    // Now with a TOTP of its own, this session may change the setting.
    const off = await h.call('PUT', SETTING, as(session, { body: { requireTotpForAdmins: false } }));
    assert.equal(off.status, 200, off.text);
    const on = await h.call('PUT', SETTING, as(session, { body: { requireTotpForAdmins: true } }));
    assert.equal(on.status, 200, on.text);
  });

  test('other roles and API tokens are not held back', async () => {
    const desk = await signIn('desk');
    assert.equal(desk.signIn.body.totpEnrolmentRequired, false);
    assert.equal((await h.call('GET', '/api/v1/users', as(desk))).status, 200);
    assert.equal((await h.call('GET', '/api/v1/users')).status, 200, 'the bootstrap token');
  });

  test('turned off, an admin without a TOTP has a full session again', async () => {
    const chief = await signIn('chief');
    assert.equal(chief.signIn.body.totpEnrolmentRequired, true);
    assertHeldBack(await h.call('GET', '/api/v1/users', as(chief)), 'while on');
    assert.equal((await h.call('PUT', SETTING, { body: { requireTotpForAdmins: false } })).status, 200);
    assert.equal((await h.call('GET', '/api/v1/users', as(chief))).status, 200, 'the same session, now full');
    assert.equal((await h.call('GET', '/api/v1/session', as(chief))).body.totpEnrolmentRequired, false);
  });
});
