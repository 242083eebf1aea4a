/**
 * The enrolment portal's subjects, answered by the admin API over a real NATS bus, with the real
 * entra-verifier (ROPC for link sign-ins) and otp-verifier (the RADIUS path's code check) on the
 * same bus and testkit's Entra stand-in (its OpenID Connect code flow for Microsoft sign-ins):
 * every sign-in failure the portal must tell apart, rate limits, the seed shown once, first codes,
 * activation, replacing a token, and a pending token the RADIUS path cannot see.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Registry } from 'prom-client';
import { NatsBus } from '@tollgate/bus';
import {
  BusError,
  ENTRA_CLIENT_SECRET_CONTEXT,
  PortalEnrolConfirmResponse,
  PortalEnrolStartResponse,
  PortalLinkCheckResponse,
  PortalSessionResponse,
  PortalSettingsResponse,
  PortalSignInResponse,
  subject,
  type OtpVerifyResponse,
  type SubjectName,
} from '@tollgate/contracts';
import { entraVerifier } from '@tollgate/entra-verifier';
import { createLogger } from '@tollgate/logging';
import { otpVerifier } from '@tollgate/otp-verifier';
import type { Component, ServiceContext } from '@tollgate/runtime';
import { DEFAULT_SCOPE, adminAudit, settings, tokens, users } from '@tollgate/store';
import { TEST_BUS_SEAL, TEST_NATS_URL, startEntraStandIn, uniquePrefix, type EntraStandIn } from '@tollgate/testkit';
import { generateTotp, totpStep } from '@tollgate/totp';
import { startHarness, leaks, type Harness } from './testing/admin-api-harness.js';

const PUBLIC_URL = 'http://127.0.0.1:9';
const REDIRECT = `${PUBLIC_URL}/callback`;
const PASSWORD = 'Correct-Horse-Battery-7';
const CLIENT_SECRET = 'stand-in-app-secret-42';
const DOMAIN = 'contoso.example';
const MFA_USER = `ada@${DOMAIN}`;
const NO_MFA_USER = `bob@${DOMAIN}`;
const STRANGER = `eve@${DOMAIN}`; // in Entra, not in Tollgate
const LINK_USER = `carol@${DOMAIN}`;
const LIMITED_USER = `dan@${DOMAIN}`;
const REPLACER = `fay@${DOMAIN}`;
const RADIUS_USER = `gus@${DOMAIN}`;

let h: Harness;
let standIn: EntraStandIn;
let portal: NatsBus;
const components: Component[] = [];
const buses: NatsBus[] = [];
const secrets = new Set<string>([PASSWORD, CLIENT_SECRET]);
/** The answers that carry a link's secret on purpose (its creation). */
const linkAnswers: string[] = [];

/** A fresh source address per scenario, so one scenario's failures do not limit another. */
let sourceCounter = 0;
const newSource = () => `198.51.100.${++sourceCounter}`;

async function ask(name: SubjectName, payload: Record<string, unknown>): Promise<unknown> {
  return portal.request(subject(h.prefix, name), payload, { timeoutMs: 15_000 });
}

async function component(
  create: (context: ServiceContext) => Promise<Component>,
  name: string,
  env: Record<string, string>,
): Promise<void> {
  const bus = await NatsBus.connect({ servers: TEST_NATS_URL }, { seal: TEST_BUS_SEAL });
  buses.push(bus);
  const context: ServiceContext = {
    env,
    logger: createLogger(name, { level: 'debug', destination: { write: (line: string) => void h.logs.push(line) } }),
    bus,
    subjectPrefix: h.prefix,
    db: h.db,
    state: h.state,
    keyring: h.keyring,
    metrics: new Registry(),
  };
  const started = await create(context);
  await started.start();
  components.push(started);
}

/** A Microsoft sign-in in the stand-in, as a browser would do it: the authorization code and its PKCE verifier and nonce. */
async function microsoftCode(login: string): Promise<{ code: string; codeVerifier: string; nonce: string }> {
  const codeVerifier = randomBytes(32).toString('base64url');
  const nonce = randomBytes(16).toString('base64url');
  const authorize = new URL(`${standIn.url}/${standIn.tenant}/oauth2/v2.0/authorize`);
  for (const [k, v] of Object.entries({
    client_id: standIn.clientId,
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope: 'openid profile',
    response_mode: 'query',
    state: randomBytes(8).toString('hex'),
    nonce,
    code_challenge: createHash('sha256').update(codeVerifier).digest('base64url'),
    code_challenge_method: 'S256',
  }))
    authorize.searchParams.set(k, v);
  const html = await (await fetch(authorize)).text();
  const fields = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    fields.set(
      m[1]!,
      m[2]!.replace(/&#(\d+);/g, (_x, d: string) => String.fromCharCode(Number(d))),
    );
  fields.set('login', login);
  fields.set('passwd', PASSWORD);
  const posted = await fetch(authorize.origin + authorize.pathname, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
  });
  const location = posted.headers.get('location');
  assert.ok(location, `the stand-in signed ${login} in`);
  const code = new URL(location).searchParams.get('code');
  assert.ok(code);
  secrets.add(code);
  return { code, codeVerifier, nonce };
}

async function signInOidc(login: string, source = newSource(), change: Record<string, unknown> = {}) {
  const flow = await microsoftCode(login);
  return PortalSignInResponse.parse(await ask('portalSignInOidc', { ...flow, redirectUri: REDIRECT, source, ...change }));
}

async function newLink(upn: string): Promise<{ id: string; token: string }> {
  const res = await h.call('POST', `/api/v1/users/${upn}/enrollment-links`, { body: {} });
  assert.equal(res.status, 201, res.text);
  const token = /\/l\/([A-Za-z0-9_-]{43})$/.exec(res.body.url)![1]!;
  secrets.add(token);
  linkAnswers.push(res.text);
  return { id: res.body.id, token };
}

async function signInLink(token: string, password = PASSWORD, source = newSource()) {
  return PortalSignInResponse.parse(await ask('portalSignInLink', { link: token, password, source }));
}

function sessionOf(response: PortalSignInResponse): string {
  assert.equal(response.outcome, 'ok', JSON.stringify(response));
  return (response as { view: { session: string } }).view.session;
}

async function start(session: string, currentCode?: string) {
  const response = PortalEnrolStartResponse.parse(
    await ask('portalEnrolStart', { session, source: '192.0.2.10', ...(currentCode ? { currentCode } : {}) }),
  );
  if (response.outcome === 'ok') secrets.add(response.secret);
  return response;
}

async function confirm(session: string, code: string) {
  return PortalEnrolConfirmResponse.parse(await ask('portalEnrolConfirm', { session, code, source: '192.0.2.10' }));
}

async function radius(upn: string, code: string): Promise<OtpVerifyResponse['outcome']> {
  const reply = (await portal.request(subject(h.prefix, 'verifyOtp'), { upn, code }, { timeoutMs: 5000 })) as OtpVerifyResponse;
  return reply.outcome;
}

const codeOf = (secret: string, offsetSteps = 0) =>
  generateTotp({ secret, digits: 6, period: 30, algorithm: 'SHA1', nowMs: Date.now() + offsetSteps * 30_000 });

before(async () => {
  standIn = await startEntraStandIn({
    clientSecret: CLIENT_SECRET,
    redirectUris: [REDIRECT],
    users: {
      [MFA_USER]: { password: PASSWORD, kind: 'mfa' },
      [NO_MFA_USER]: { password: PASSWORD, kind: 'no_mfa' },
      [STRANGER]: { password: PASSWORD, kind: 'mfa' },
      [LINK_USER]: { password: PASSWORD, kind: 'mfa' },
      [LIMITED_USER]: { password: PASSWORD, kind: 'mfa' },
      [REPLACER]: { password: PASSWORD, kind: 'mfa' },
      [RADIUS_USER]: { password: PASSWORD, kind: 'mfa' },
    },
  });
  const prefix = uniquePrefix('portal');
  const bus = await NatsBus.connect({ servers: TEST_NATS_URL }, { seal: TEST_BUS_SEAL });
  h = await startHarness('adm_portal_bus', { ENTRA_ALLOW_LOOPBACK_AUTHORITY: 'true' }, { bus, prefix });
  portal = await NatsBus.connect({ servers: TEST_NATS_URL }, { seal: TEST_BUS_SEAL });
  await settings.put(h.db, 'entra', {
    enabled: true,
    tenantId: standIn.tenant,
    clientId: standIn.clientId,
    domain: DOMAIN,
    authorityHost: standIn.url,
    scope: DEFAULT_SCOPE,
    clientSecretSealed: h.keyring.seal(CLIENT_SECRET, ENTRA_CLIENT_SECRET_CONTEXT),
  });
  const put = await h.call('PUT', '/api/v1/settings/portal', {
    body: {
      oidcEnabled: true,
      linksEnabled: true,
      publicUrl: PUBLIC_URL,
      organisationName: 'Contoso',
      clientId: standIn.clientId,
      clientSecret: CLIENT_SECRET,
      mfaContext: 'c1',
    },
  });
  assert.equal(put.status, 200, put.text);
  for (const upn of [MFA_USER, NO_MFA_USER, LINK_USER, LIMITED_USER, REPLACER, RADIUS_USER])
    await users.create(h.db, { upn, displayName: upn });
  await component(entraVerifier.create, 'entra-verifier', { ENTRA_ALLOW_LOOPBACK_AUTHORITY: 'true' });
  await component(otpVerifier.create, 'otp-verifier', { OTP_CACHE_TTL_MS: '1000' });
});

after(async () => {
  for (const c of components.reverse()) await c.stop();
  for (const b of buses) await b.drain();
  await portal?.drain();
  await h?.close();
  await standIn?.close();
});

describe('portal bus: settings and payloads', () => {
  test('portal.v1.settings answers the public parts: the authorize endpoint from the Entra settings, no secret', async () => {
    const answer = PortalSettingsResponse.parse(await ask('portalSettings', {}));
    assert.equal(answer.publicUrl, PUBLIC_URL);
    assert.equal(answer.organisationName, 'Contoso');
    assert.equal(answer.issuer, 'Tollgate Test', 'ADMIN_ISSUER when the portal sets none');
    assert.deepEqual(answer.oidc, {
      enabled: true,
      authorizeEndpoint: `${standIn.url}/${standIn.tenant}/oauth2/v2.0/authorize`,
      clientId: standIn.clientId,
      mfaContext: 'c1',
    });
    assert.deepEqual(answer.links, { enabled: true });
    assert.doesNotMatch(JSON.stringify(answer), new RegExp(CLIENT_SECRET));
  });

  test('a payload that breaks its schema is a bad_request naming the fields, never quoting a value', async () => {
    await assert.rejects(
      ask('portalSignInLink', { link: 'short', password: PASSWORD, source: '192.0.2.1' }),
      (error: unknown) =>
        error instanceof BusError && error.code === 'bad_request' && /link/.test(error.message) && !error.message.includes(PASSWORD),
    );
    await assert.rejects(
      ask('portalEnrolConfirm', { session: 'x'.repeat(43) }),
      (error: unknown) => error instanceof BusError && error.code === 'bad_request',
    );
  });
});

describe('portal bus: sign in with Microsoft', () => {
  test('MFA performed: a session for the Tollgate user, its view readable, ended by sign-out', async () => {
    const answer = await signInOidc(MFA_USER);
    const session = sessionOf(answer);
    assert.equal(answer.outcome === 'ok' && answer.view.upn, MFA_USER);
    assert.equal(answer.outcome === 'ok' && answer.view.hasActiveToken, false);
    assert.equal(answer.outcome === 'ok' && answer.view.seedShown, false);
    const view = PortalSessionResponse.parse(await ask('portalSessionGet', { session, source: '192.0.2.1' }));
    assert.equal(view.outcome, 'ok');
    assert.ok(view.outcome === 'ok' && view.view.expiresInSeconds > 14 * 60 && view.view.expiresInSeconds <= 15 * 60);
    assert.deepEqual(await ask('portalSessionEnd', { session, source: '192.0.2.1' }), { outcome: 'ok' });
    assert.deepEqual(PortalSessionResponse.parse(await ask('portalSessionGet', { session, source: '192.0.2.1' })), {
      outcome: 'failed',
      reason: 'session_expired',
    });
  });

  test('no acrs (no MFA) -> mfa_not_performed', async () => {
    assert.deepEqual(await signInOidc(NO_MFA_USER), { outcome: 'failed', reason: 'mfa_not_performed' });
    standIn.setOidcFault('no_mfa', MFA_USER);
    try {
      assert.deepEqual(await signInOidc(MFA_USER), { outcome: 'failed', reason: 'mfa_not_performed' });
    } finally {
      standIn.setOidcFault(null, MFA_USER);
    }
  });

  for (const fault of ['wrong_nonce', 'wrong_audience', 'expired', 'bad_signature'] as const) {
    test(`an ID token with ${fault} -> sign_in_invalid`, async () => {
      standIn.setOidcFault(fault);
      try {
        assert.deepEqual(await signInOidc(MFA_USER), { outcome: 'failed', reason: 'sign_in_invalid' });
      } finally {
        standIn.setOidcFault(null);
      }
    });
  }

  test('a wrong nonce from the portal, another redirect URI, a spent code -> sign_in_invalid', async () => {
    assert.deepEqual(await signInOidc(MFA_USER, newSource(), { nonce: randomBytes(16).toString('base64url') }), {
      outcome: 'failed',
      reason: 'sign_in_invalid',
    });
    assert.deepEqual(await signInOidc(MFA_USER, newSource(), { redirectUri: 'http://127.0.0.1:9/elsewhere' }), {
      outcome: 'failed',
      reason: 'sign_in_invalid',
    });
    const flow = await microsoftCode(MFA_USER);
    const first = PortalSignInResponse.parse(await ask('portalSignInOidc', { ...flow, redirectUri: REDIRECT, source: newSource() }));
    assert.equal(first.outcome, 'ok');
    const again = PortalSignInResponse.parse(await ask('portalSignInOidc', { ...flow, redirectUri: REDIRECT, source: newSource() }));
    assert.deepEqual(again, { outcome: 'failed', reason: 'sign_in_invalid' });
  });

  test('a user Entra knows but Tollgate does not, or a disabled one -> not_enrollable', async () => {
    assert.deepEqual(await signInOidc(STRANGER), { outcome: 'failed', reason: 'not_enrollable' });
    await users.update(h.db, RADIUS_USER, { enabled: false });
    try {
      assert.deepEqual(await signInOidc(RADIUS_USER), { outcome: 'failed', reason: 'not_enrollable' });
    } finally {
      await users.update(h.db, RADIUS_USER, { enabled: true });
    }
  });

  test('Entra down -> unavailable', async () => {
    const flow = await microsoftCode(MFA_USER);
    await settings.put(h.db, 'entra', { ...(await settings.get(h.db, 'entra'))!, authorityHost: 'http://127.0.0.1:1' });
    try {
      const answer = PortalSignInResponse.parse(await ask('portalSignInOidc', { ...flow, redirectUri: REDIRECT, source: newSource() }));
      assert.deepEqual(answer, { outcome: 'failed', reason: 'unavailable' });
    } finally {
      await settings.put(h.db, 'entra', { ...(await settings.get(h.db, 'entra'))!, authorityHost: standIn.url });
    }
  });

  test('failures from one address are rate limited', async () => {
    const source = newSource();
    standIn.setOidcFault('bad_signature');
    try {
      for (let i = 0; i < 20; i++) assert.deepEqual(await signInOidc(MFA_USER, source), { outcome: 'failed', reason: 'sign_in_invalid' });
    } finally {
      standIn.setOidcFault(null);
    }
    assert.deepEqual(await signInOidc(MFA_USER, source), { outcome: 'failed', reason: 'rate_limited' });
    assert.equal((await signInOidc(MFA_USER)).outcome, 'ok', 'another address is not limited');
  });
});

describe('portal bus: enrolment links', () => {
  test('link check: ok, unknown, expired, revoked', async () => {
    const { id, token } = await newLink(LINK_USER);
    const ok = PortalLinkCheckResponse.parse(await ask('portalLinkCheck', { link: token, source: newSource() }));
    assert.equal(ok.outcome, 'ok');
    assert.equal(ok.outcome === 'ok' && ok.upn, LINK_USER);
    const unknown = await ask('portalLinkCheck', { link: randomBytes(32).toString('base64url'), source: newSource() });
    assert.deepEqual(unknown, { outcome: 'failed', reason: 'link_unknown' });
    const expired = await newLink(LINK_USER);
    await h.db.query(`UPDATE enrollment_links SET expires_at = now() - interval '1 minute' WHERE id = $1`, [expired.id]);
    assert.deepEqual(await ask('portalLinkCheck', { link: expired.token, source: newSource() }), {
      outcome: 'failed',
      reason: 'link_expired',
    });
    assert.deepEqual(await signInLink(expired.token), { outcome: 'failed', reason: 'link_expired' });
    assert.equal((await h.call('DELETE', `/api/v1/users/${LINK_USER}/enrollment-links/${id}`)).status, 204);
    assert.deepEqual(await ask('portalLinkCheck', { link: token, source: newSource() }), { outcome: 'failed', reason: 'link_revoked' });
    assert.deepEqual(await signInLink(token), { outcome: 'failed', reason: 'link_revoked' });
  });

  test('wrong password -> wrong_password; the right one -> a session; enrolment spends the link (then link_used)', async () => {
    const { token } = await newLink(LINK_USER);
    assert.deepEqual(await signInLink(token, 'Not-The-Password-1'), { outcome: 'failed', reason: 'wrong_password' });
    const session = sessionOf(await signInLink(token));
    const started = await start(session);
    assert.equal(started.outcome, 'ok');
    assert.ok(started.outcome === 'ok');
    const done = await confirm(session, codeOf(started.secret));
    assert.deepEqual(done, { outcome: 'activated', upn: LINK_USER, replaced: false });
    assert.deepEqual(await ask('portalLinkCheck', { link: token, source: newSource() }), { outcome: 'failed', reason: 'link_used' });
    assert.deepEqual(await signInLink(token), { outcome: 'failed', reason: 'link_used' });
    const list = await h.call('GET', `/api/v1/users/${LINK_USER}/enrollment-links`);
    assert.equal(list.body.items[0].status, 'used');
  });

  test('five wrong passwords of one user limit that user, even from another address', async () => {
    const { token } = await newLink(LIMITED_USER);
    for (let i = 0; i < 5; i++)
      assert.deepEqual(await signInLink(token, `Wrong-${i}-password`), { outcome: 'failed', reason: 'wrong_password' });
    assert.deepEqual(await signInLink(token, PASSWORD, newSource()), { outcome: 'failed', reason: 'rate_limited' });
  });

  test('guessing links from one address is rate limited', async () => {
    const source = newSource();
    for (let i = 0; i < 20; i++) {
      const answer = await ask('portalLinkCheck', { link: randomBytes(32).toString('base64url'), source });
      assert.deepEqual(answer, { outcome: 'failed', reason: 'link_unknown' });
    }
    const { token } = await newLink(LINK_USER);
    assert.deepEqual(await ask('portalLinkCheck', { link: token, source }), { outcome: 'failed', reason: 'rate_limited' });
  });
});

describe('portal bus: enrolment', () => {
  test('the seed is shown once; wrong first codes count; five end the session', async () => {
    const session = sessionOf(await signInOidc(MFA_USER));
    const started = await start(session);
    assert.equal(started.outcome, 'ok');
    assert.ok(started.outcome === 'ok');
    assert.match(started.otpauthUri, /^otpauth:\/\/totp\/Tollgate%20Test:ada%40contoso\.example\?/);
    assert.equal(started.account, MFA_USER);
    assert.deepEqual(await start(session), { outcome: 'failed', reason: 'seed_already_shown' });
    const view = PortalSessionResponse.parse(await ask('portalSessionGet', { session, source: '192.0.2.1' }));
    assert.equal(view.outcome === 'ok' && view.view.seedShown, true);
    assert.equal((await h.call('GET', `/api/v1/users/${MFA_USER}`)).body.pendingEnrollment, true);
    const wrong = codeOf(started.secret, 5);
    for (let i = 1; i < 5; i++) assert.deepEqual(await confirm(session, wrong), { outcome: 'failed', reason: 'wrong_code' });
    assert.deepEqual(await confirm(session, wrong), { outcome: 'failed', reason: 'session_expired' });
    assert.deepEqual(
      await confirm(session, codeOf(started.secret)),
      { outcome: 'failed', reason: 'session_expired' },
      'the session is gone',
    );
    assert.equal((await h.call('GET', `/api/v1/users/${MFA_USER}`)).body.pendingEnrollment, false, 'and its pending token');
    assert.equal(await tokens.get(h.db, MFA_USER), null);
  });

  test('a pending token is invisible to the RADIUS path; after activation its seed works, the activation code never again', async () => {
    const session = sessionOf(await signInOidc(RADIUS_USER));
    const started = await start(session);
    assert.ok(started.outcome === 'ok');
    const first = codeOf(started.secret);
    assert.equal(await radius(RADIUS_USER, first), 'not_enrolled', 'a code of the pending seed is no code on the RADIUS path');
    assert.deepEqual(await confirm(session, first), { outcome: 'activated', upn: RADIUS_USER, replaced: false });
    const stored = await tokens.get(h.db, RADIUS_USER);
    assert.equal(stored?.source, 'generated');
    assert.ok(Math.abs((stored?.lastStep ?? 0) - totpStep(Date.now(), 30)) <= 1, "the first code's step is recorded as used");
    assert.equal(await radius(RADIUS_USER, first), 'replayed', 'the activation code cannot be replayed');
    assert.equal(await radius(RADIUS_USER, codeOf(started.secret, 1)), 'valid', 'the next code of the same seed is accepted');
    assert.deepEqual(PortalSessionResponse.parse(await ask('portalSessionGet', { session, source: '192.0.2.1' })), {
      outcome: 'failed',
      reason: 'session_expired',
    });
  });

  test('replacing: refused while allowReplace is off; then needs a valid current code, spent once', async () => {
    const seed = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    const put = await h.call('PUT', `/api/v1/users/${REPLACER}/totp`, { body: { secret: seed } });
    assert.equal(put.status, 200, put.text);
    const session = sessionOf(await signInOidc(REPLACER));
    assert.deepEqual(await start(session), { outcome: 'failed', reason: 'already_enrolled' });
    const portalSettings = await h.call('GET', '/api/v1/settings/portal');
    const { clientSecretSet: _set, ...current } = portalSettings.body;
    assert.equal((await h.call('PUT', '/api/v1/settings/portal', { body: { ...current, allowReplace: true } })).status, 200);
    assert.deepEqual(await start(session), { outcome: 'failed', reason: 'current_code_required' });
    assert.deepEqual(await start(session, codeOf(seed, 5)), { outcome: 'failed', reason: 'current_code_wrong' });
    const currentCode = codeOf(seed);
    const started = await start(session, currentCode);
    assert.equal(started.outcome, 'ok');
    assert.ok(started.outcome === 'ok');
    assert.equal(await radius(REPLACER, currentCode), 'replayed', 'the current code was spent by the portal');
    assert.equal(await radius(REPLACER, codeOf(started.secret)), 'invalid', 'the old token stays until the new one is confirmed');
    assert.deepEqual(await confirm(session, codeOf(started.secret)), { outcome: 'activated', upn: REPLACER, replaced: true });
    assert.equal(await radius(REPLACER, codeOf(seed, 1)), 'invalid', 'the old seed is gone');
    const other = sessionOf(await signInOidc(REPLACER));
    assert.deepEqual(
      await start(other, codeOf(started.secret)),
      { outcome: 'failed', reason: 'current_code_wrong' },
      'its activation code is spent',
    );
  });

  test('every step is audited with the user as actor, and no secret reached a log, an answer or the audit log', async () => {
    const audit = await adminAudit.list(h.db, { limit: 500 });
    const actions = new Set(audit.map((a) => a.action));
    for (const action of [
      'portal.sign_in',
      'portal.enrol.start',
      'portal.enrol.confirm',
      'portal.token.activate',
      'portal.link.used',
      'portal.sign_out',
    ])
      assert.ok(actions.has(action), action);
    const activation = audit.find((a) => a.action === 'portal.token.activate' && a.target === REPLACER);
    assert.equal(activation?.actorKind, 'portal');
    assert.equal(activation?.details.replaced, true);
    const signIn = audit.find((a) => a.action === 'portal.sign_in' && a.details.result === 'mfa_not_performed');
    assert.equal(signIn?.details.method, 'oidc');
    const text = JSON.stringify(audit);
    for (const secret of secrets) {
      assert.ok(!text.includes(secret), 'a secret in the audit log');
      assert.deepEqual(leaks(h, secret, linkAnswers), [], 'a secret in a log line or an HTTP answer');
    }
  });
});
