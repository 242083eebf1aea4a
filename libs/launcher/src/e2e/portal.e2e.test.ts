/**
 * The enrolment portal end to end: every service in its own process on the real NATS, PostgreSQL
 * and Redis, the portal's process with no DATABASE_URL, no Redis and no master key (only the key
 * derived for the portal). A user signs in with Microsoft (the Entra stand-in's code flow) in
 * Chromium, enrols, the QR code is read from a screenshot, `oathtool` makes the first code from
 * the seed it holds, and `radclient` then gets an Access-Accept with the Entra password and a
 * fresh code. The same through an enrolment link an admin issued. Every way to fail (a sign-in
 * without MFA, a forged or expired ID token, a reused or expired link, a wrong first code) shows
 * its message and enrols nothing; a pending token never accepts.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { decodeQrPng, oathtoolTotp, radclient } from '@tollgate/testkit';
import { openConsole, type ConsoleVisitor } from '@tollgate/testkit/browser';
import { startDistributedStack } from './distributed-stack.js';

const DOMAIN = 'contoso.com';
const RADIUS_SECRET = `nas-${randomBytes(12).toString('hex')}`;
const ISSUER = 'Contoso VPN';

let stack: Awaited<ReturnType<typeof startDistributedStack>>;
let portal: string;
let db: pg.Client;
const passwords = new Map<string, string>();
/** Every seed shown and every link issued: none may appear in a log line, a span or a syslog message. */
const secrets = new Set<string>();

async function user(name: string): Promise<string> {
  const upn = `${name}@${DOMAIN}`;
  const password = `Pw-${name}-${randomBytes(4).toString('hex')}`;
  passwords.set(upn, password);
  stack.entra.setUser(upn, { password, kind: 'mfa' });
  await stack.admin.call('POST', '/api/v1/users', { username: upn });
  return upn;
}

const auth = (username: string, password: string) =>
  radclient({
    port: stack.radiusPort,
    secret: RADIUS_SECRET,
    attributes: { 'User-Name': username, 'User-Password': password },
    timeoutSec: 4,
    retries: 1,
  });

interface UserView {
  token: { source: string } | null;
  pendingEnrollment: boolean;
}
const userView = (upn: string) => stack.admin.call<UserView>('GET', `/api/v1/users/${encodeURIComponent(upn)}`);

async function issueLink(upn: string): Promise<{ id: string; url: string }> {
  const link = await stack.admin.call<{ id: string; url: string }>('POST', `/api/v1/users/${encodeURIComponent(upn)}/enrollment-links`, {});
  secrets.add(new URL(link.url).pathname.split('/').pop() as string);
  return link;
}

before(async () => {
  stack = await startDistributedStack();
  portal = stack.portalUrl;
  db = new pg.Client({ connectionString: stack.env.DATABASE_URL });
  await db.connect();
  await stack.admin.useEntraStandIn(stack.entra, DOMAIN);
  await stack.admin.call('POST', '/api/v1/radius-clients', { name: 'vpn', address: '127.0.0.1', secret: RADIUS_SECRET });
  await stack.admin.call('PUT', '/api/v1/settings/portal', {
    oidcEnabled: true,
    linksEnabled: true,
    publicUrl: portal,
    organisationName: 'Contoso',
    issuer: ISSUER,
    clientId: stack.entra.clientId,
    clientSecret: 'the portal app registration secret',
    mfaContext: 'c1',
  });
});

after(async () => {
  await db?.end();
  await stack?.stop();
});

/** Through the stand-in's login form and back to the portal. */
async function signInWithMicrosoft(browser: ConsoleVisitor, upn: string): Promise<void> {
  const { page } = browser;
  await page.goto(`${portal}/`);
  await page.getByRole('button', { name: 'Sign in with Microsoft' }).click();
  await page.getByLabel('Email').fill(upn);
  await page.getByLabel('Password').fill(passwords.get(upn) as string);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.origin === portal && url.pathname !== '/signin');
}

/** An enrolment link opened and its user's Entra password given: the enrolment page. */
async function signInWithLink(browser: ConsoleVisitor, url: string, password: string): Promise<void> {
  const { page } = browser;
  await page.goto(url);
  await page.getByLabel('Your work account password').fill(password);
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** From the enrolment page: the QR code read from a screenshot, the seed it holds. */
async function showAndReadQr(browser: ConsoleVisitor, shot: string): Promise<string> {
  const { page } = browser;
  await page.getByRole('button', { name: 'Show my QR code' }).click();
  await page.getByRole('heading', { name: 'Scan this QR code' }).waitFor();
  await browser.check(shot);
  const uri = new URL(decodeQrPng(await page.locator('figure svg').screenshot()));
  assert.equal(uri.protocol, 'otpauth:');
  assert.equal(uri.searchParams.get('issuer'), ISSUER);
  const seed = uri.searchParams.get('secret') ?? '';
  assert.match(seed, /^[A-Z2-7]{16,}$/);
  secrets.add(seed);
  // The seed shown for typing by hand is the one in the QR code.
  assert.equal((await page.locator('.secret').innerText()).replaceAll(' ', ''), seed);
  return seed;
}

async function enterFirstCode(browser: ConsoleVisitor, code: string): Promise<void> {
  await browser.page.getByLabel('Code shown in your app').fill(code);
  await browser.page.getByRole('button', { name: 'Finish' }).click();
}

const codeAt = (seed: string, offsetMs = 0) => oathtoolTotp({ base32Secret: seed, atMs: Date.now() + offsetMs });

/** After activation the first code's step is spent; the next step's code (inside the ±1 step window) is fresh. */
async function assertAcceptedWithFreshCode(upn: string, seed: string): Promise<void> {
  const reply = await auth(upn, `${passwords.get(upn)}${await codeAt(seed, 30_000)}`);
  assert.equal(reply.code, 'Access-Accept', reply.raw);
}

async function assertNothingEnrolled(upn: string): Promise<void> {
  const view = await userView(upn);
  assert.equal(view.token, null, `${upn} has no token`);
  assert.equal(view.pendingEnrollment, false, `${upn} has no pending token`);
}

async function failureShown(browser: ConsoleVisitor, title: string, shot: string): Promise<void> {
  await browser.page.getByRole('heading', { name: title }).waitFor();
  await browser.check(shot);
}

async function visit<T>(folder: string, run: (browser: ConsoleVisitor) => Promise<T>): Promise<T> {
  const browser = await openConsole(portal, `portal-${folder}`);
  try {
    const result = await run(browser);
    assert.deepEqual(browser.pageProblems, []);
    // The only other origin a page ever leads to is Microsoft's (here the stand-in's) sign-in.
    for (const url of browser.foreignRequests) assert.ok(url.startsWith(`${stack.entra.url}/`), url);
    return result;
  } finally {
    await browser.close();
  }
}

test('the portal process runs with no DATABASE_URL, no Redis and no master key, only the key derived for it', () => {
  const proc = stack.processes.find((p) => p.targets.includes('enrollment-portal'));
  assert.ok(proc, 'the portal runs as its own process');
  assert.deepEqual(proc.targets, ['enrollment-portal']);
  for (const key of ['DATABASE_URL', 'REDIS_URL', 'TOLLGATE_MASTER_KEY']) assert.equal(proc.env[key], undefined, key);
  assert.match(proc.env.PORTAL_BUS_KEY ?? '', /^[A-Za-z0-9+/]{43}=$/);
  assert.notEqual(proc.env.PORTAL_BUS_KEY, stack.env.TOLLGATE_MASTER_KEY);
});

test('sign in with Microsoft (MFA performed), enrol from the QR code with an oathtool code; a pending token never accepts; radclient then accepts', async () => {
  const upn = await user('mia');
  await visit('oidc', async (browser) => {
    await signInWithMicrosoft(browser, upn);
    await browser.page.getByRole('heading', { name: 'Set up your authenticator' }).waitFor();
    await browser.check('enrol');
    const seed = await showAndReadQr(browser, 'qr');
    assert.equal((await userView(upn)).pendingEnrollment, true);
    const pending = await auth(upn, `${passwords.get(upn)}${await codeAt(seed)}`);
    assert.equal(pending.code, 'Access-Reject', 'a pending token never accepts');
    await enterFirstCode(browser, await codeAt(seed));
    await browser.page.getByRole('heading', { name: 'Your authenticator is set up' }).waitFor();
    await browser.check('activated');
    const view = await userView(upn);
    assert.equal(view.pendingEnrollment, false);
    assert.equal(view.token?.source, 'generated');
    await assertAcceptedWithFreshCode(upn, seed);
    // The session ended with the enrolment: the seed is never shown again.
    await browser.page.goto(`${portal}/enrol`);
    await failureShown(browser, 'Your session has ended', 'after-activation');
  });
});

test('an enrolment link and the Entra password (ROPC) enrol; the link then is spent', async () => {
  const upn = await user('lou');
  const link = await issueLink(upn);
  assert.ok(link.url.startsWith(`${portal}/l/`), link.url);
  await visit('link', async (browser) => {
    await browser.page.goto(link.url);
    await browser.page.getByText(upn).waitFor();
    await browser.check('password');
    await signInWithLink(browser, link.url, passwords.get(upn) as string);
    const seed = await showAndReadQr(browser, 'qr');
    await enterFirstCode(browser, await codeAt(seed));
    await browser.page.getByRole('heading', { name: 'Your authenticator is set up' }).waitFor();
    await assertAcceptedWithFreshCode(upn, seed);
    await browser.page.goto(link.url);
    await failureShown(browser, 'This enrolment link was already used', 'reused');
  });
  const { items } = await stack.admin.call<{ items: Array<{ id: string; status: string }> }>(
    'GET',
    `/api/v1/users/${encodeURIComponent(upn)}/enrollment-links`,
  );
  assert.deepEqual(
    items.map((i) => [i.id, i.status]),
    [[link.id, 'used']],
  );
  // Every step is in the admin audit log, with the user as actor and the portal as its kind.
  const { entries } = await stack.admin.call<{ entries: Array<{ action: string; actorKind: string }> }>(
    'GET',
    `/api/v1/audit-log?actor=${encodeURIComponent(upn)}&action=portal.`,
  );
  const actions = new Set(entries.map((e) => e.action));
  for (const action of ['portal.sign_in', 'portal.enrol.start', 'portal.link.used', 'portal.token.activate'])
    assert.ok(actions.has(action), action);
  assert.ok(entries.every((e) => e.actorKind === 'portal'));
});

test('a wrong first code is refused with its message and activates nothing; the right one still can', async () => {
  const upn = await user('wes');
  await visit('wrong-code', async (browser) => {
    await signInWithMicrosoft(browser, upn);
    const seed = await showAndReadQr(browser, 'qr');
    const right = await codeAt(seed);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    await enterFirstCode(browser, wrong);
    await browser.page.getByRole('alert').filter({ hasText: 'The code did not match the new authenticator' }).waitFor();
    await browser.check('wrong-code');
    const view = await userView(upn);
    assert.equal(view.token, null, 'a wrong first code activates nothing');
    assert.equal(view.pendingEnrollment, true);
    assert.equal((await auth(upn, `${passwords.get(upn)}${right}`)).code, 'Access-Reject');
    await enterFirstCode(browser, await codeAt(seed));
    await browser.page.getByRole('heading', { name: 'Your authenticator is set up' }).waitFor();
  });
});

const SIGN_IN_FAULTS = [
  { fault: 'no_mfa', title: 'Multi-factor sign-in required', what: 'a sign-in without MFA' },
  { fault: 'bad_signature', title: 'The Microsoft sign-in could not be checked', what: 'an ID token signed with another key' },
  { fault: 'expired', title: 'The Microsoft sign-in could not be checked', what: 'an expired ID token' },
  { fault: 'wrong_audience', title: 'The Microsoft sign-in could not be checked', what: 'an ID token for another app' },
  { fault: 'wrong_nonce', title: 'The Microsoft sign-in could not be checked', what: 'an ID token with another nonce' },
] as const;

for (const { fault, title, what } of SIGN_IN_FAULTS) {
  test(`${what} shows "${title}" and enrols nothing`, async () => {
    const upn = await user(`f-${fault.replaceAll('_', '-')}`);
    stack.entra.setOidcFault(fault, upn);
    await visit(`fault-${fault}`, async (browser) => {
      await signInWithMicrosoft(browser, upn);
      await failureShown(browser, title, 'failure');
      // No session was opened: the enrolment page says so.
      await browser.page.goto(`${portal}/enrol`);
      await failureShown(browser, 'Your session has ended', 'no-session');
    });
    await assertNothingEnrolled(upn);
  });
}

test('an expired link, a revoked link and a wrong password show their messages and enrol nothing', async () => {
  const upn = await user('exp');
  const expired = await issueLink(upn);
  await db.query(`UPDATE enrollment_links SET expires_at = now() - interval '1 minute' WHERE id = $1`, [expired.id]);
  const revoked = await issueLink(upn);
  await stack.admin.call('DELETE', `/api/v1/users/${encodeURIComponent(upn)}/enrollment-links/${revoked.id}`);
  const good = await issueLink(upn);
  await visit('link-failures', async (browser) => {
    await browser.page.goto(expired.url);
    await failureShown(browser, 'This enrolment link has expired', 'expired');
    await browser.page.goto(revoked.url);
    await failureShown(browser, 'This enrolment link was withdrawn', 'revoked');
    await signInWithLink(browser, good.url, 'not the password');
    await browser.page.getByText('Microsoft did not accept this password').waitFor();
    await browser.check('wrong-password');
  });
  await assertNothingEnrolled(upn);
});

test('no password, seed or link secret appears in any log line, span or syslog message', () => {
  const everything = [
    ...stack.output(),
    ...stack.syslog(),
    ...stack.spans().map((span) => JSON.stringify([span.name, span.attributes], (_k, v) => (typeof v === 'bigint' ? String(v) : v))),
  ];
  assert.ok(everything.length > 0);
  assert.ok(secrets.size >= 6, 'seeds and links were collected');
  for (const secret of [...secrets, ...passwords.values(), 'the portal app registration secret']) {
    const leaks = everything.filter((line) => line.includes(secret));
    assert.deepEqual(leaks, [], 'a secret was written out');
  }
});
