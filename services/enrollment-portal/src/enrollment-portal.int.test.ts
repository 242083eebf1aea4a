import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { codeChallenge } from './authorize-request.js';
import { FAILURE_MESSAGES } from './failure-messages.js';
import { LINK, SECRET, SESSION, settingsFor, startPortalHarness, viewOf, type PortalHarness } from './testing/portal-harness.js';

/**
 * The portal over a real NATS bus (portal key only) against a responder of the portal subjects
 * (master key), with the public URL on https as in a deployment (the test speaks to the portal's
 * own plain-HTTP socket, as the ingress does).
 */
const PUBLIC = 'https://enrol.contoso.test';
const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin', origin: 'null' };

let h: PortalHarness;
before(async () => {
  h = await startPortalHarness({ publicUrl: PUBLIC });
});
after(async () => {
  await h?.close();
});

function get(path: string, cookie?: string): Promise<Response> {
  return fetch(`${h.base}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
}

function post(
  path: string,
  form: Record<string, string>,
  options: { cookie?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  return fetch(`${h.base}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...SAME_ORIGIN,
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...options.headers,
    },
    body: new URLSearchParams(form).toString(),
  });
}

function setCookies(res: Response): string[] {
  return res.headers.getSetCookie();
}

function cookiePair(res: Response, name: string): string {
  const line = setCookies(res).find((c) => c.startsWith(`${name}=`));
  assert.ok(line, `${name} set: ${setCookies(res).join(' | ')}`);
  return line.split(';')[0]!;
}

function csrfOf(page: string): string {
  const match = /name="csrf" value="([^"]+)"/.exec(page);
  assert.ok(match, 'the page has a CSRF field');
  return match[1]!;
}

const seenOf = (subject: string) => h.seen.filter((s) => s.subject === subject);

describe('enrolment portal over NATS', () => {
  it('the landing page: security headers, the CSP with the authorize origin, escaped organisation, logo and stylesheet', async () => {
    const res = await get('/');
    assert.equal(res.status, 200);
    assert.equal(
      res.headers.get('content-security-policy'),
      "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self' https://login.example.test; frame-ancestors 'none'; base-uri 'none'",
    );
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('strict-transport-security'), 'max-age=31536000');
    assert.equal(res.headers.get('x-powered-by'), null);
    const page = await res.text();
    assert.ok(page.includes('Contoso &lt;Test&gt; &amp; Co'));
    assert.ok(page.includes('Sign in with Microsoft'));
    assert.ok(page.includes('<img src="/logo"'));
    assert.ok(!/<script/i.test(page));
    const css = await get('/style.css');
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
    const logo = await get('/logo');
    assert.equal(logo.headers.get('content-type'), 'image/svg+xml');
    assert.match(await logo.text(), /^<svg /);
  });

  it('sign-in: the redirect carries PKCE (S256), state, nonce and the acrs claims; the callback relays the code with the verifier', async () => {
    const start = await get('/signin');
    assert.equal(start.status, 302);
    const url = new URL(start.headers.get('location')!);
    assert.equal(`${url.origin}${url.pathname}`, 'https://login.example.test/tid/oauth2/v2.0/authorize');
    const p = url.searchParams;
    assert.equal(p.get('response_type'), 'code');
    assert.equal(p.get('client_id'), 'portal-app');
    assert.equal(p.get('redirect_uri'), `${PUBLIC}/callback`);
    assert.equal(p.get('scope'), 'openid profile');
    assert.equal(p.get('code_challenge_method'), 'S256');
    assert.deepEqual(JSON.parse(p.get('claims')!), { id_token: { acrs: { essential: true, value: 'c1' } } });
    assert.match(p.get('state')!, /^[A-Za-z0-9_-]{43}$/);
    assert.match(p.get('nonce')!, /^[A-Za-z0-9_-]{43}$/);
    const cookieLine = setCookies(start).find((c) => c.startsWith('__Host-tollgate-signin='))!;
    assert.match(cookieLine, /; Path=\/; Max-Age=600; HttpOnly; SameSite=Lax; Secure$/);
    for (const value of [p.get('state')!, p.get('nonce')!]) assert.ok(!cookieLine.includes(value), 'the cookie is sealed');
    const cookie = cookiePair(start, '__Host-tollgate-signin');

    const back = await get(`/callback?code=the-code&state=${p.get('state')}`, cookie);
    assert.equal(back.status, 303);
    assert.equal(back.headers.get('location'), '/enrol');
    assert.match(
      setCookies(back).find((c) => c.startsWith('__Host-tollgate-session='))!,
      new RegExp(`^__Host-tollgate-session=${SESSION}; Path=/; Max-Age=900; HttpOnly; SameSite=Lax; Secure$`),
    );
    const relayed = seenOf('portalSignInOidc').at(-1)!.request;
    assert.equal(relayed.code, 'the-code');
    assert.equal(relayed.nonce, p.get('nonce'));
    assert.equal(relayed.redirectUri, `${PUBLIC}/callback`);
    assert.equal(codeChallenge(relayed.codeVerifier as string), p.get('code_challenge'));
    assert.equal(relayed.source, '127.0.0.1');
    assert.equal(typeof relayed.timeoutMs, 'number');
    // The sign-in cookie is spent: the same callback again is refused.
    const replay = await get(`/callback?code=the-code&state=${p.get('state')}`);
    assert.equal(replay.status, 400);
  });

  it('a callback whose state does not match the cookie is refused and nothing is relayed', async () => {
    const before = seenOf('portalSignInOidc').length;
    const start = await get('/signin');
    const cookie = cookiePair(start, '__Host-tollgate-signin');
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    const forged = `${state.slice(0, -1)}${state.endsWith('A') ? 'B' : 'A'}`;
    const res = await get(`/callback?code=x&state=${forged}`, cookie);
    assert.equal(res.status, 400);
    assert.ok((await res.text()).includes(FAILURE_MESSAGES.sign_in_state.title));
    // A state without its cookie (another browser), and a cookie from another installation's key, likewise.
    assert.equal((await get(`/callback?code=x&state=${state}`)).status, 400);
    assert.equal(seenOf('portalSignInOidc').length, before);
  });

  it('a failed Microsoft sign-in shows the message of its reason', async () => {
    h.answers.portalSignInOidc = () => ({ outcome: 'failed', reason: 'mfa_not_performed' });
    const start = await get('/signin');
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    const res = await get(`/callback?code=x&state=${state}`, cookiePair(start, '__Host-tollgate-signin'));
    assert.equal(res.status, 403);
    assert.ok((await res.text()).includes('did not include multi-factor authentication'));
    assert.ok(!setCookies(res).some((c) => c.startsWith('__Host-tollgate-session=')));
  });

  it('enrol: the page, CSRF refusals (no token, another session, cross-site), then the QR code as inline SVG and the first code', async () => {
    const cookie = `__Host-tollgate-session=${SESSION}`;
    const page = await (await get('/enrol', cookie)).text();
    assert.ok(page.includes('Alice Example'));
    assert.ok(page.includes('Show my QR code'));
    const csrf = csrfOf(page);
    const starts = () => seenOf('portalEnrolStart').length;
    const before = starts();
    assert.equal((await post('/enrol/start', {}, { cookie })).status, 403, 'no token');
    const other = `__Host-tollgate-session=${'T'.repeat(43)}`;
    assert.equal((await post('/enrol/start', { csrf }, { cookie: other })).status, 403, "another session's cookie");
    assert.equal((await post('/enrol/start', { csrf }, { cookie, headers: { 'sec-fetch-site': 'cross-site' } })).status, 403, 'cross-site');
    assert.equal(
      (await post('/enrol/start', { csrf }, { cookie, headers: { origin: 'https://evil.test', 'sec-fetch-site': 'same-origin' } })).status,
      403,
      'other origin',
    );
    assert.equal(starts(), before, 'nothing reached the admin API');

    const qr = await post('/enrol/start', { csrf }, { cookie });
    assert.equal(qr.status, 200);
    const qrPage = await qr.text();
    assert.match(qrPage, /<svg class="qr" role="img" aria-label="[^"]+"[^>]*viewBox="[^"]+"/);
    assert.match(qrPage, /<path [^>]*d="M/);
    assert.ok(qrPage.includes('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP'));
    assert.ok(!qrPage.includes('otpauth://'), 'the URI is only inside the QR code');
    assert.equal(qr.headers.get('cache-control'), 'no-store');

    h.answers.portalEnrolConfirm = (r) =>
      r.code === '123456'
        ? { outcome: 'activated', upn: 'alice@contoso.test', replaced: false }
        : { outcome: 'failed', reason: 'wrong_code' };
    const bad = await post('/enrol/confirm', { csrf: csrfOf(qrPage), code: '12' }, { cookie });
    assert.equal(bad.status, 400);
    assert.ok((await bad.text()).includes('field: code'));
    const wrong = await post('/enrol/confirm', { csrf: csrfOf(qrPage), code: '654321' }, { cookie });
    assert.equal(wrong.status, 400);
    assert.ok((await wrong.text()).includes(FAILURE_MESSAGES.wrong_code.message));
    const done = await post('/enrol/confirm', { csrf: csrfOf(qrPage), code: '123 456' }, { cookie });
    assert.equal(done.status, 200);
    assert.ok((await done.text()).includes('password followed directly by the six-digit code'));
    assert.match(setCookies(done).find((c) => c.startsWith('__Host-tollgate-session='))!, /^__Host-tollgate-session=; .*Max-Age=0/);
    assert.deepEqual(
      seenOf('portalEnrolConfirm').map((s) => s.request.code),
      ['654321', '123456'],
    );
  });

  it('replacing needs the current code; a reload after the seed was shown asks only for the code', async () => {
    const cookie = `__Host-tollgate-session=${SESSION}`;
    h.answers.portalSessionGet = () => ({ outcome: 'ok', view: viewOf({ hasActiveToken: true }) });
    h.answers.portalEnrolStart = (r) => ({ outcome: 'failed', reason: r.currentCode ? 'current_code_wrong' : 'current_code_required' });
    const page = await (await get('/enrol', cookie)).text();
    assert.ok(page.includes('name="currentCode"'));
    const res = await post('/enrol/start', { csrf: csrfOf(page), currentCode: '111111' }, { cookie });
    assert.equal(res.status, 400);
    assert.ok((await res.text()).includes(FAILURE_MESSAGES.current_code_wrong.message));
    assert.equal(seenOf('portalEnrolStart').at(-1)!.request.currentCode, '111111');

    h.answers.portalSessionGet = () => ({ outcome: 'ok', view: viewOf({ seedShown: true }) });
    const reload = await (await get('/enrol', cookie)).text();
    assert.ok(reload.includes('The QR code was already shown'));
    assert.ok(reload.includes('name="code"'));
    assert.ok(!reload.includes('<svg'));

    h.answers.portalSessionGet = () => ({ outcome: 'failed', reason: 'session_expired' });
    const gone = await get('/enrol', cookie);
    assert.equal(gone.status, 401);
    assert.match(setCookies(gone)[0]!, /Max-Age=0/);
    h.answers.portalSessionGet = () => ({ outcome: 'ok', view: viewOf() });
  });

  it('a link: its state, the password form (bound CSRF), a session; and each link failure its page', async () => {
    const res = await get(`/l/${LINK}`);
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.ok(page.includes('alice@contoso.test'));
    assert.ok(page.includes('autocomplete="current-password"'));
    const form = cookiePair(res, '__Host-tollgate-form');
    const csrf = csrfOf(page);
    // The token is bound to this link: posted to another link's address it does not count.
    const otherLink = `${LINK.slice(0, -1)}${LINK.endsWith('A') ? 'B' : 'A'}`;
    assert.equal((await post(`/l/${otherLink}`, { csrf, password: 'pw' }, { cookie: form })).status, 403);
    assert.equal((await post(`/l/${LINK}`, { csrf, password: 'pw' })).status, 403, 'without its form cookie');

    h.answers.portalSignInLink = (r) =>
      r.password === 'right' ? { outcome: 'ok', view: viewOf() } : { outcome: 'failed', reason: 'wrong_password' };
    const wrong = await post(`/l/${LINK}`, { csrf, password: 'wrong-Secret-1' }, { cookie: form });
    assert.equal(wrong.status, 401);
    const wrongPage = await wrong.text();
    assert.ok(wrongPage.includes(FAILURE_MESSAGES.wrong_password.message));
    assert.ok(!wrongPage.includes('wrong-Secret-1'), 'the password is never echoed');
    const ok = await post(`/l/${LINK}`, { csrf, password: 'right' }, { cookie: form });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('location'), '/enrol');
    assert.equal(seenOf('portalSignInLink').at(-1)!.request.link, LINK);

    for (const reason of ['link_expired', 'link_used', 'link_revoked', 'link_unknown'] as const) {
      h.answers.portalLinkCheck = () => ({ outcome: 'failed', reason });
      const failed = await get(`/l/${LINK}`);
      assert.equal(failed.status, FAILURE_MESSAGES[reason].status, reason);
      assert.ok((await failed.text()).includes(FAILURE_MESSAGES[reason].message), reason);
    }
    // Not shaped like a link: refused here, never asked.
    const asked = seenOf('portalLinkCheck').length;
    assert.equal((await get('/l/short')).status, 404);
    assert.equal(seenOf('portalLinkCheck').length, asked);
  });

  it('sign out ends the session (with its CSRF token) and clears the cookie', async () => {
    const cookie = `__Host-tollgate-session=${SESSION}`;
    const csrf = csrfOf(await (await get('/enrol', cookie)).text());
    const res = await post('/signout', { csrf }, { cookie });
    assert.equal(res.status, 303);
    assert.equal(seenOf('portalSessionEnd').at(-1)!.request.session, SESSION);
    assert.match(setCookies(res)[0]!, /Max-Age=0/);
  });

  it('with sign-in by Microsoft off, /signin says so; the CSP then allows forms to the portal alone', async () => {
    h.answers.portalSettings = () => settingsFor(PUBLIC, { oidc: { enabled: false } });
    const res = await get('/signin');
    assert.equal(res.status, 403);
    assert.match(res.headers.get('content-security-policy')!, /form-action 'self';/);
    h.answers.portalSettings = () => settingsFor(PUBLIC);
  });

  it('an admin API that does not answer gives the "try again" page, and its metrics are counted by route and outcome', async () => {
    h.answers.portalSessionGet = () => new Promise((resolve) => setTimeout(() => resolve({ outcome: 'ok', view: viewOf() }), 3_000));
    const res = await get('/enrol', `__Host-tollgate-session=${SESSION}`);
    assert.equal(res.status, 503);
    assert.ok((await res.text()).includes(FAILURE_MESSAGES.unavailable.message));
    h.answers.portalSessionGet = () => ({ outcome: 'ok', view: viewOf() });
    const metrics = await h.metrics.metrics();
    assert.match(metrics, /tollgate_portal_requests_total\{route="callback",outcome="sign_in_state"\} [1-9]/);
    assert.match(metrics, /tollgate_portal_requests_total\{route="enrol",outcome="unavailable"\} 1/);
    assert.match(metrics, /tollgate_portal_requests_total\{route="enrol_start",outcome="csrf"\} [1-9]/);
  });

  it('nothing secret reached the log: no password, seed, session, link or code', () => {
    const log = h.logLines.join('\n');
    for (const secret of ['wrong-Secret-1', SECRET, SESSION, LINK, '654321', 'the-code']) assert.ok(!log.includes(secret), secret);
  });
});

describe('enrolment portal rate limit', () => {
  it('past the limit per address: 429 with Retry-After, before the admin API is asked', async () => {
    const limited = await startPortalHarness({ env: { PORTAL_RATE_LIMIT_PER_MINUTE: '2' } });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await fetch(`${limited.base}/l/${LINK}`)).status);
      assert.deepEqual(statuses, [200, 200, 429]);
      const refused = await fetch(`${limited.base}/l/${LINK}`);
      assert.equal(refused.headers.get('retry-after'), '60');
      assert.ok((await refused.text()).includes(FAILURE_MESSAGES.busy.message));
      assert.equal(limited.seen.filter((s) => s.subject === 'portalLinkCheck').length, 2);
      // The stylesheet is not counted: a refused page still shows styled.
      assert.equal((await fetch(`${limited.base}/style.css`)).status, 200);
    } finally {
      await limited.close();
    }
  });
});
