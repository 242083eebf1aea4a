/**
 * The admin console in a real browser (Debian's Chromium through playwright-core) against a real
 * admin API on a fresh PostgreSQL database: an admin signs in with password and own TOTP code
 * (from oathtool), sees the dashboard's charts, adds and enrols a user and the QR code read from
 * a screenshot holds the seed that was stored; helpdesk sees no settings and the API refuses
 * them; an auditor sees no secret and no button that changes anything; a cross-site request
 * without the CSRF token is refused. Every page visited is screenshot and checked by axe-core.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authEvents, tokens, type AuthEvent } from '@tollgate/store';
import { decodeQrPng, oathtoolTotp } from '@tollgate/testkit';
import { openConsole, type ConsoleVisitor } from '@tollgate/testkit/browser';
import { startHarness, type Harness } from './testing/admin-api-harness.js';
import { CONSOLE_PASSWORD as PASSWORD, createConsoleAccounts, submitSignIn as signIn } from './testing/console-accounts.js';

const TOTP_STEP_MS = 30_000;

function event(minutesAgo: number, decision: AuthEvent['decision'], reason: string, upn: string): AuthEvent {
  return {
    at: new Date(Date.now() - minutesAgo * 60_000),
    requestId: `e2e-${minutesAgo}-${reason}`,
    username: upn,
    upn,
    clientName: 'vpn-1',
    clientAddress: '192.0.2.10',
    decision,
    reason,
    aadsts: null,
    latencyMs: 20,
  };
}

const navLinks = (visitor: ConsoleVisitor) => visitor.page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts();
const CHANGING = /add|enrol|disable|enable|delete|reset|remove|save/i;

describe('admin console in a browser', () => {
  let h: Harness;
  let rootSeed: string;
  let enrolledSeed: string;
  const visitors: ConsoleVisitor[] = [];
  const visitor = async (folder: string) => {
    const v = await openConsole(h.base, folder);
    visitors.push(v);
    return v;
  };

  before(async () => {
    h = await startHarness('console_e2e');
    await createConsoleAccounts(h);
    // root gets its own TOTP, confirmed with the previous step's code so the current one is left for the browser.
    const session = await h.call('POST', '/api/v1/session', { authorization: null, body: { username: 'root', password: PASSWORD } });
    const headers = { cookie: (session.headers.get('set-cookie') ?? '').split(';')[0]!, 'x-csrf-token': session.body.csrfToken };
    const begun = await h.call('POST', '/api/v1/session/totp', { authorization: null, headers });
    rootSeed = begun.body.secret;
    const confirm = await oathtoolTotp({ base32Secret: rootSeed, atMs: Date.now() - TOTP_STEP_MS });
    assert.equal((await h.call('PUT', '/api/v1/session/totp', { authorization: null, headers, body: { code: confirm } })).status, 200);
    await h.call('DELETE', '/api/v1/session', { authorization: null, headers });

    await authEvents.insertMany(h.db, [
      event(2, 'accept', 'ok', 'alice@contoso.com'),
      event(3, 'reject', 'otp.invalid', 'bob@contoso.com'),
      event(4, 'reject', 'otp.invalid', 'bob@contoso.com'),
      event(12, 'reject', 'entra.invalid_credentials', 'carol@contoso.com'),
      event(200, 'accept', 'ok', 'alice@contoso.com'),
    ]);
  });

  after(async () => {
    for (const v of visitors) await v.close();
    await h?.close();
  });

  test('an admin signs in with password and code; a wrong code is shown beside the code field', async () => {
    const admin = await visitor('admin');
    await signIn(admin, h.base, 'root', '000000');
    await admin.page.locator('#field-code-error').waitFor();
    assert.match(await admin.page.locator('#field-code-error').innerText(), /code is not right/);
    await admin.check('sign-in-wrong-code');

    await admin.page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await admin.page.getByLabel('Authenticator code').fill(await oathtoolTotp({ base32Secret: rootSeed }));
    await admin.page.getByRole('button', { name: 'Sign in' }).click();
    await admin.page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    assert.deepEqual(await navLinks(admin), [
      'Dashboard',
      'Users',
      'Groups',
      'Auth log',
      'RADIUS clients',
      'Entra ID',
      'Policy',
      'Self-service portal',
      'Token import',
      'Audit log',
      'Admins',
      'API tokens',
    ]);
  });

  test('the dashboard shows charts of the auth events, top failing users and clients, and the services', async () => {
    const { page } = visitors[0]!;
    await page.locator('svg.chart-svg').first().waitFor();
    assert.equal(await page.locator('svg.chart-svg').count(), 2, 'the last hour and the last day');
    assert.ok((await page.locator('svg.chart-svg').first().locator('rect').count()) >= 3, 'bars for the events of the last hour');
    const legend = await page.locator('.legend').first().innerText();
    assert.match(legend, /Rejected: otp\.invalid/);
    assert.match(legend, /Rejected: entra\.invalid_credentials/);
    assert.match(
      await page.getByRole('heading', { name: 'Most rejected users, last day' }).locator('..').innerText(),
      /bob@contoso\.com\s+2/,
    );
    assert.match(await page.locator('body').innerText(), /vpn-1/);
    await page.getByRole('heading', { name: 'Services' }).waitFor();
    assert.match(await page.getByRole('heading', { name: 'Services' }).locator('..').innerText(), /Database/);
    await visitors[0]!.check('dashboard');
  });

  test('an admin adds a user (a bad name is shown beside its field), enrols them, and the QR code holds the stored seed', async () => {
    const admin = visitors[0]!;
    const { page } = admin;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    await admin.check('users-empty');

    await page.getByLabel('User name (UPN)').fill('not a name');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.locator('#field-username-error').waitFor();
    await admin.check('users-bad-name');

    await page.getByLabel('User name (UPN)').fill('newbie@contoso.com');
    await page.getByLabel('Display name').fill('New Bie');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('heading', { name: 'newbie@contoso.com' }).waitFor();
    assert.match(await page.locator('dl.facts').innerText(), /not enrolled/);
    await admin.check('user-new');

    await page.getByRole('button', { name: 'Enrol an authenticator app' }).click();
    const qr = page.locator('img.qr');
    await qr.waitFor();
    const uri = new URL(decodeQrPng(await qr.screenshot()));
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(decodeURIComponent(uri.pathname), '/Tollgate Test:newbie@contoso.com');
    enrolledSeed = uri.searchParams.get('secret')!;
    assert.match(enrolledSeed, /^[A-Z2-7]{32}$/);
    const stored = (await tokens.get(h.db, 'newbie@contoso.com'))!;
    assert.equal(h.keyring.openText(stored.secretSealed, 'totp:newbie@contoso.com'), enrolledSeed, 'the QR code holds the stored seed');
    assert.match(await oathtoolTotp({ base32Secret: enrolledSeed }), /^\d{6}$/);
    await admin.check('user-enrolment-qr');
    await page.getByRole('button', { name: 'Done, hide the code' }).click();
    assert.equal(await page.locator('img.qr').count(), 0);
    assert.doesNotMatch(await page.content(), new RegExp(enrolledSeed));

    await page.getByLabel('Seed (Base32)').fill('NOT-BASE32-1');
    await page.getByRole('button', { name: 'Save hardware token' }).click();
    await page.locator('#field-secret-error').waitFor();
    await admin.check('user-bad-seed');

    // Where fallback codes go: a bad phone number is shown beside its field, good ones are saved.
    await page.getByLabel('Phone number').fill('079 123');
    await page.getByRole('button', { name: 'Save addresses' }).click();
    await page.locator('#field-phone-error').waitFor();
    await admin.check('user-bad-phone');
    await page.getByLabel('Email address').fill('newbie@example.org');
    await page.getByLabel('Phone number').fill('+41 79 123 45 67');
    await page.getByRole('button', { name: 'Save addresses' }).click();
    await page.getByText('The addresses are saved.').waitFor();
    const contact = (await h.call('GET', '/api/v1/users/newbie@contoso.com')).body;
    assert.deepEqual([contact.email, contact.phone], ['newbie@example.org', '+41791234567']);

    await page.getByRole('button', { name: 'Reset lockout' }).click();
    await page.getByText('The lockout is reset.').waitFor();
    await page.getByRole('button', { name: 'Disable user' }).click();
    await page.getByText('The user is disabled.').waitFor();
    assert.equal((await h.call('GET', '/api/v1/users/newbie@contoso.com')).body.enabled, false);
    await admin.check('user-disabled');
    assert.deepEqual(admin.foreignRequests, [], 'no request left the console origin');
    assert.deepEqual(admin.pageProblems, [], 'no CSP refusal, no page error');
  });

  test('an admin saves a hardware token, removes it, and deletes a user after confirming', async () => {
    const admin = visitors[0]!;
    const { page } = admin;
    assert.equal((await h.call('POST', '/api/v1/users', { body: { username: 'gone@contoso.com' } })).status, 201);
    await page.goto(`${h.base}/users/gone%40contoso.com`);
    await page.getByRole('heading', { name: 'gone@contoso.com' }).waitFor();
    await page.getByLabel('Seed (Base32)').fill('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
    await page.getByLabel('Serial number').fill('HW-0042');
    await page.getByLabel('Period').selectOption('60');
    await page.getByRole('button', { name: 'Save hardware token' }).click();
    await page.getByText('The hardware token is saved.').waitFor();
    await page.getByText(/hardware token, 6 digits every 60 s \(SHA1\), serial HW-0042/).waitFor();
    assert.equal((await h.call('GET', '/api/v1/users/gone@contoso.com')).body.token.serial, 'HW-0042');
    await page.getByRole('button', { name: 'Remove token' }).click();
    await page.getByText('The token is removed.').waitFor();
    assert.equal((await h.call('GET', '/api/v1/users/gone@contoso.com')).body.token, null);
    await page.getByRole('button', { name: 'Delete user' }).click();
    await admin.check('user-confirm-delete');
    await page.getByRole('button', { name: 'Delete gone@contoso.com for good' }).click();
    await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    assert.equal((await h.call('GET', '/api/v1/users/gone@contoso.com')).status, 404);
  });

  test('a cross-site form post that carries the session cookie but no CSRF token is refused', async () => {
    const admin = visitors[0]!;
    // Another origin on the same host (so the SameSite cookie does ride along) posts a JSON-looking form.
    const other: Server = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(`<!doctype html><html lang="en"><title>elsewhere</title>
        <form method="post" enctype="text/plain" action="${h.base}/api/v1/users">
        <input type="hidden" name='{"username":"csrf@contoso.com","x":"' value='"}'></form>
        <script>document.forms[0].submit()</script></html>`);
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const posted = admin.page.waitForRequest((r) => r.url() === `${h.base}/api/v1/users` && r.method() === 'POST');
      const answered = admin.page.waitForResponse((r) => r.url() === `${h.base}/api/v1/users`);
      await admin.page.goto(`http://127.0.0.1:${(other.address() as AddressInfo).port}/`);
      const request = await posted;
      assert.match((await request.allHeaders()).cookie ?? '', /tg_session=/, 'the browser sent the session cookie');
      const response = await answered;
      assert.equal(response.status(), 403);
      assert.match(await response.text(), /X-CSRF-Token/);
      assert.equal((await h.call('GET', '/api/v1/users/csrf@contoso.com')).status, 404, 'nothing was created');
    } finally {
      other.close();
    }
  });

  test('helpdesk sees no settings in the nav, the page says so, and the API refuses (403)', async () => {
    const desk = await visitor('helpdesk');
    await signIn(desk, h.base, 'desk');
    await desk.page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    assert.deepEqual(await navLinks(desk), ['Dashboard', 'Users', 'Groups', 'Auth log']);
    await desk.check('dashboard');
    await desk.page.goto(`${h.base}/settings`);
    await desk.page.getByRole('heading', { name: 'Not available' }).waitFor();
    await desk.check('settings-refused');
    const statuses = await desk.page.evaluate(async () =>
      Promise.all(
        ['/api/v1/settings/entra', '/api/v1/settings/policy', '/api/v1/radius-clients', '/api/v1/admins'].map(
          async (p) => (await fetch(p)).status,
        ),
      ),
    );
    assert.deepEqual(statuses, [403, 403, 403, 403]);
    await desk.page.goto(`${h.base}/users/newbie%40contoso.com`);
    await desk.page.getByRole('button', { name: 'Enable user' }).waitFor();
    await desk.check('user');
    assert.deepEqual(desk.pageProblems, []);
  });

  test('a console account sets up its own authenticator from the QR code, and sign-in then needs its code', async () => {
    const desk = visitors[1]!;
    const { page } = desk;
    await page.getByRole('link', { name: 'desk (helpdesk)' }).click();
    await page.getByRole('heading', { name: 'My account' }).waitFor();
    await page.getByRole('button', { name: 'Set up an authenticator' }).click();
    const qr = page.locator('img.qr');
    await qr.waitFor();
    await desk.check('account-authenticator');
    const uri = new URL(decodeQrPng(await qr.screenshot()));
    assert.equal(decodeURIComponent(uri.pathname), '/Tollgate Test:desk');
    const seed = uri.searchParams.get('secret')!;
    await page.getByLabel('Current code from the app').fill('000000');
    await page.getByRole('button', { name: 'Confirm the authenticator' }).click();
    await page.locator('#field-code-error').waitFor();
    // The previous step's code confirms (one step of drift is allowed), leaving the current one for sign-in.
    await page.getByLabel('Current code from the app').fill(await oathtoolTotp({ base32Secret: seed, atMs: Date.now() - TOTP_STEP_MS }));
    await page.getByRole('button', { name: 'Confirm the authenticator' }).click();
    await page.getByText('The authenticator is set up').waitFor();
    await desk.check('account-confirmed');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Tollgate' }).waitFor();
    await signIn(desk, h.base, 'desk');
    await page.locator('#field-code-error').waitFor();
    assert.match(await page.locator('#field-code-error').innerText(), /needs its TOTP code/);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Authenticator code').fill(await oathtoolTotp({ base32Secret: seed }));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    assert.deepEqual(desk.pageProblems, []);
  });

  test('an auditor sees users and their state, no secret, and no button that changes anything', async () => {
    const auditor = await visitor('auditor');
    await signIn(auditor, h.base, 'audit');
    await auditor.page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    assert.deepEqual(await navLinks(auditor), [
      'Dashboard',
      'Users',
      'Groups',
      'Auth log',
      'RADIUS clients',
      'Entra ID',
      'Policy',
      'Self-service portal',
      'Audit log',
      'Admins',
      'API tokens',
    ]);
    await auditor.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await auditor.page.getByRole('link', { name: 'newbie@contoso.com' }).waitFor();
    assert.equal(await auditor.page.getByRole('heading', { name: 'Add a user' }).count(), 0);
    await auditor.check('users');
    await auditor.page.getByRole('link', { name: 'newbie@contoso.com' }).click();
    await auditor.page.getByRole('heading', { name: 'Account' }).waitFor();
    const buttons = await auditor.page.getByRole('button').allInnerTexts();
    assert.deepEqual(
      buttons.filter((b) => CHANGING.test(b)),
      [],
      `buttons shown: ${buttons.join(', ')}`,
    );
    assert.equal(await auditor.page.locator('input').count(), 0, 'no form at all');
    assert.equal(await auditor.page.locator('img.qr').count(), 0);
    assert.doesNotMatch(await auditor.page.content(), new RegExp(enrolledSeed));
    await auditor.check('user');
    await auditor.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Entra ID' }).click();
    await auditor.page.getByRole('heading', { name: 'Entra ID' }).waitFor();
    await auditor.check('settings');
    assert.deepEqual(auditor.foreignRequests, []);
    assert.deepEqual(auditor.pageProblems, []);
  });
  test('the users page searches by part of a name and pages by keyset', async () => {
    await h.db.query(`INSERT INTO users (upn) SELECT 'bulk' || lpad(i::text, 3, '0') || '@contoso.com' FROM generate_series(1, 60) i`);
    const auditor = visitors[2]!;
    const { page } = auditor;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await page.getByLabel('Search by name').fill('bulk');
    await page.getByText('Page 1, users whose name contains “bulk”').waitFor();
    const firstRows = page.locator('tbody tr');
    assert.equal(await firstRows.count(), 25);
    assert.equal(await firstRows.first().locator('td').first().innerText(), 'bulk001@contoso.com');
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2, users whose name contains “bulk”').waitFor();
    assert.equal(await page.locator('tbody tr').first().locator('td').first().innerText(), 'bulk026@contoso.com');
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 3,').waitFor();
    assert.equal(await page.locator('tbody tr').count(), 10);
    assert.equal(await page.getByRole('button', { name: 'Next page' }).isDisabled(), true);
    await auditor.check('users-search-page-3');
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByText('Page 2,').waitFor();
    await page.getByLabel('Search by name').fill('bulk042');
    await page.getByText('Page 1, users whose name contains “bulk042”').waitFor();
    assert.deepEqual(await page.locator('tbody tr td:first-child').allInnerTexts(), ['bulk042@contoso.com']);
    await page.getByLabel('Search by name').fill('nobody-by-this-name');
    await page.getByText('No user matches.').waitFor();
    await auditor.check('users-no-match');
  });
});
