/**
 * The self-service portal's pages of the console in a real browser (Debian's Chromium through
 * playwright-core) against a real admin API on a fresh PostgreSQL database: an admin saves the
 * portal settings with a logo (a file too large refused before anything is sent, a bad public URL
 * shown beside its field, the client secret never shown again, the redirect URI copied); issues an
 * enrolment link on a user's page (a bad validity beside its field; the URL shown once, copied,
 * listed as active, gone after a reload) and revokes it after confirming; sends one by email (the
 * page says why it did not go while no mail server is set; then the mail carries the URL shown,
 * received by a real SMTP server); helpdesk issues a link
 * but has no portal settings; an auditor sees the settings locked and the links with no button.
 * A user who started enrolling in the portal carries the "pending enrolment" badge. Every page
 * visited is screenshot and checked by axe-core.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pendingTotpSeedContext } from '@tollgate/contracts';
import { SmtpReceiver } from '@tollgate/testkit';
import { openConsole, type ConsoleVisitor } from '@tollgate/testkit/browser';
import { startHarness, type Harness } from './testing/admin-api-harness.js';
import { createConsoleAccounts, signInToDashboard as signIn } from './testing/console-accounts.js';

const PUBLIC_URL = 'https://enrol.contoso.com';
const CLIENT_SECRET = 'portal-client-secret-value-0123';
const USER = 'linda@contoso.com';
const PENDING_USER = 'pat@contoso.com';
const MAILED_USER = 'erin@contoso.com';
/** A small SVG logo: the type the browser reads as a `data:image/svg+xml;base64,` URL. */
const LOGO_SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="48" viewBox="0 0 160 48"><rect width="160" height="48" rx="6" fill="#0b5cad"/><circle cx="24" cy="24" r="12" fill="#fff"/></svg>',
);
const LOGO_URL = `data:image/svg+xml;base64,${LOGO_SVG.toString('base64')}`;
const CHANGING = /add|enrol|issue|disable|enable|delete|reset|remove|save|revoke|replace/i;
/** The link's secret: 32 random bytes, base64url, at the end of the URL. */
const LINK_URL = new RegExp(`^${PUBLIC_URL.replace(/\./g, '\\.')}/\\S*[A-Za-z0-9_-]{43}$`);

const nav = (visitor: ConsoleVisitor) => visitor.page.getByRole('navigation', { name: 'Main' });
const userUrl = (base: string, upn: string) => `${base}/users/${encodeURIComponent(upn)}`;
const linkRows = (visitor: ConsoleVisitor) => visitor.page.locator('table.enrollment-links tbody tr');

/** A mail body as sent (quoted-printable soft breaks and escapes undone). */
function mailText(raw: string): string {
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

async function readClipboard(visitor: ConsoleVisitor): Promise<string> {
  // Runs in the page, where the clipboard is the browser's (this file is compiled without DOM types).
  return visitor.page.evaluate(() =>
    (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText(),
  );
}

describe('admin console: self-service portal settings and enrolment links in a browser', () => {
  let h: Harness;
  let admin: ConsoleVisitor;
  let smtp: SmtpReceiver;
  const visitors: ConsoleVisitor[] = [];
  const visitor = async (folder: string) => {
    const v = await openConsole(h.base, folder);
    await v.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.base });
    visitors.push(v);
    return v;
  };

  before(async () => {
    h = await startHarness('console_portal_e2e');
    await createConsoleAccounts(h);
    for (const upn of [USER, PENDING_USER]) {
      const created = await h.call('POST', '/api/v1/users', { body: { username: upn } });
      assert.equal(created.status, 201, created.text);
    }
    const mailed = await h.call('POST', '/api/v1/users', { body: { username: MAILED_USER, email: MAILED_USER } });
    assert.equal(mailed.status, 201, mailed.text);
    smtp = await new SmtpReceiver().start();
    admin = await visitor('portal-admin');
    await signIn(admin, h.base, 'root');
  });

  after(async () => {
    for (const v of visitors) await v.close();
    await h?.close();
    await smtp?.stop();
  });

  test('before the portal is set up, issuing a link says what is missing', async () => {
    const { page } = admin;
    await page.goto(userUrl(h.base, USER));
    await page.getByRole('heading', { name: 'Enrolment links', level: 2 }).waitFor();
    await page.getByRole('button', { name: 'Issue an enrolment link' }).click();
    await page.getByText('Enrolment links are not ready: an admin turns them on and sets the public URL').waitFor();
    assert.equal(await page.locator('code.link-url').count(), 0);
    assert.deepEqual((await h.call('GET', `/api/v1/users/${encodeURIComponent(USER)}/enrollment-links`)).body.items, []);
    await admin.check('user-links-not-ready');
  });

  test('an admin saves the portal settings with a logo; a too large file and a bad public URL are refused beside their fields', async () => {
    const { page } = admin;
    await nav(admin).getByRole('link', { name: 'Self-service portal', exact: true }).click();
    await page.getByRole('heading', { name: 'Self-service portal', level: 1 }).waitFor();
    assert.equal(await page.getByLabel('Links are valid for (hours)').inputValue(), '72', 'the default validity');
    await page.getByText('No client secret is set.').waitFor();
    await admin.check('portal-settings-empty');

    // A file over 100 kB is refused in the browser: nothing is read or sent.
    const puts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'PUT') puts.push(request.url());
    });
    await page.getByLabel('Logo').setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: Buffer.alloc(150_000, 1) });
    await page.locator('#field-logo-error').waitFor();
    assert.match(await page.locator('#field-logo-error').innerText(), /at most 100 kB/);
    await page.getByLabel('Logo').setInputFiles({ name: 'logo.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a') });
    assert.match(await page.locator('#field-logo-error').innerText(), /PNG, JPEG or SVG/);
    assert.equal(await page.locator('img.logo-preview').count(), 0);
    assert.deepEqual(puts, [], 'nothing sent for a refused file');
    await admin.check('portal-settings-logo-refused');

    await page.getByLabel('Logo').setInputFiles({ name: 'logo.svg', mimeType: 'image/svg+xml', buffer: LOGO_SVG });
    await page.locator('img.logo-preview').waitFor();
    assert.equal(await page.locator('img.logo-preview').getAttribute('src'), LOGO_URL);
    assert.equal(await page.locator('#field-logo-error').count(), 0);

    await page.getByLabel('Sign in with Microsoft').check();
    await page.getByLabel('Enrolment links').check();
    await page.getByLabel('Users may replace their token').check();
    await page.getByLabel('Links are valid for (hours)').fill('48');
    await page.getByLabel('Organisation name').fill('Contoso');
    await page.getByLabel('Issuer', { exact: true }).fill('Contoso VPN');
    await page.getByLabel('Application (client) ID').fill('0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
    await page.getByLabel('MFA authentication context').fill('c3');
    await page.getByLabel('Set the client secret').fill(CLIENT_SECRET);
    await page.getByLabel('Send links by email').check();
    await page.getByLabel('Subject', { exact: true }).fill('Set up your VPN code, {user}');
    await page.getByLabel('Message', { exact: true }).fill('Open {url} within {hours} hours to set up the {organisation} VPN code. {code}');
    await page.getByText('Not a placeholder: {code}').waitFor();
    await page.getByLabel('Message', { exact: true }).fill('Open {url} within {hours} hours to set up the {organisation} VPN code.');
    assert.equal(await page.getByText('Not a placeholder').count(), 0);

    // No address yet: no redirect URI to copy; a bad one is refused beside its field.
    await page.getByText('shown once the public URL is an address').waitFor();
    await page.getByLabel('Public URL').fill('enrol.contoso.com');
    await page.getByRole('button', { name: 'Save portal settings' }).click();
    await page.locator('#field-publicUrl-error').waitFor();
    assert.equal(await page.getByLabel('Public URL').getAttribute('aria-invalid'), 'true');
    assert.equal(puts.length, 1, 'the form was sent');
    assert.equal((await h.call('GET', '/api/v1/settings/portal')).body.logo, null, 'nothing saved');
    await admin.check('portal-settings-bad-url');

    await page.getByLabel('Public URL').fill(`${PUBLIC_URL}/`);
    await page.getByRole('button', { name: 'Copy the redirect URI' }).click();
    await page.getByText('Copied.').waitFor();
    assert.equal(await readClipboard(admin), `${PUBLIC_URL}/callback`);
    await page.getByRole('button', { name: 'Save portal settings' }).click();
    await page.getByText('The portal settings are saved.').waitFor();
    assert.equal(await page.locator('#field-publicUrl-error').count(), 0);
    await page.getByText('A client secret is set.').waitFor();
    assert.equal(await page.getByLabel('Replace the client secret').inputValue(), '', 'the secret is cleared once saved');

    const stored = (await h.call('GET', '/api/v1/settings/portal')).body;
    assert.equal(stored.oidcEnabled, true);
    assert.equal(stored.linksEnabled, true);
    assert.equal(stored.allowReplace, true);
    assert.equal(stored.linkTtlHours, 48);
    assert.equal(stored.publicUrl.replace(/\/$/, ''), PUBLIC_URL);
    assert.equal(stored.organisationName, 'Contoso');
    assert.equal(stored.issuer, 'Contoso VPN');
    assert.equal(stored.mfaContext, 'c3');
    assert.equal(stored.logo, LOGO_URL);
    assert.equal(stored.clientSecretSet, true);
    assert.equal(stored.clientSecret, undefined);
    assert.deepEqual(stored.email, {
      enabled: true,
      subject: 'Set up your VPN code, {user}',
      template: 'Open {url} within {hours} hours to set up the {organisation} VPN code.',
    });
    await admin.check('portal-settings-saved');

    await page.reload();
    await page.locator('img.logo-preview').waitFor();
    assert.equal(await page.locator('img.logo-preview').getAttribute('src'), LOGO_URL, 'the stored logo is shown');
    assert.equal(await page.getByLabel('Links are valid for (hours)').inputValue(), '48');
    assert.equal(await page.getByLabel('Sign in with Microsoft').isChecked(), true);
    await page.getByText(`${PUBLIC_URL}/callback`).waitFor();
    assert.doesNotMatch(await page.content(), new RegExp(CLIENT_SECRET), 'the secret is never shown');
    assert.ok(!h.logs.some((line) => line.includes(CLIENT_SECRET)), 'nor logged');
    assert.ok(!h.responses.some((body) => body.includes(CLIENT_SECRET)), 'nor answered');

    // Remove the logo, save, and the portal shows none; then put it back for the pages below.
    await page.getByRole('button', { name: 'Remove the logo' }).click();
    assert.equal(await page.locator('img.logo-preview').count(), 0);
    await page.getByRole('button', { name: 'Save portal settings' }).click();
    await page.getByText('The portal settings are saved.').waitFor();
    assert.equal((await h.call('GET', '/api/v1/settings/portal')).body.logo, null);
    assert.equal((await h.call('GET', '/api/v1/settings/portal')).body.clientSecretSet, true, 'an empty secret field keeps it');
    assert.deepEqual(admin.pageProblems, []);
  });

  test('an admin issues an enrolment link: the URL is shown once and copied, the link is listed as active, then revoked', async () => {
    const { page } = admin;
    await page.goto(userUrl(h.base, USER));
    await page.getByRole('heading', { name: 'Enrolment links', level: 2 }).waitFor();
    await page.getByText('No enrolment link yet.').waitFor();
    assert.equal(await page.getByLabel(/Send by email/).count(), 0, 'no email address, no email');
    assert.equal(await page.getByText('pending enrolment').count(), 0);
    await admin.check('user-links-empty');

    await page.getByLabel('Valid for (hours)').fill('0');
    await page.getByRole('button', { name: 'Issue an enrolment link' }).click();
    await page.locator('#field-ttlHours-error').waitFor();
    await admin.check('user-link-bad-validity');

    await page.getByLabel('Valid for (hours)').fill('24');
    const before = Date.now();
    await page.getByRole('button', { name: 'Issue an enrolment link' }).click();
    const shown = page.locator('code.link-url');
    await shown.waitFor();
    const url = await shown.innerText();
    assert.match(url, LINK_URL);
    await page.getByText('Copy the link now: it is shown only this once.', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Copy the link' }).click();
    await page.getByText('Copied.').waitFor();
    assert.equal(await readClipboard(admin), url);
    assert.equal(await linkRows(admin).count(), 1);
    assert.match(await linkRows(admin).first().innerText(), /root\s.*\sactive\s/);
    await admin.check('user-link-issued');

    const [listed] = (await h.call('GET', `/api/v1/users/${encodeURIComponent(USER)}/enrollment-links`)).body.items;
    assert.equal(listed.status, 'active');
    assert.equal(listed.createdBy, 'root');
    const hours = (Date.parse(listed.expiresAt) - before) / 3_600_000;
    assert.ok(hours > 23.9 && hours <= 24.1, `valid for 24 hours (${hours})`);
    assert.ok(!h.logs.some((line) => line.includes(url)), 'the URL is not logged');

    await page.getByRole('button', { name: 'Done, hide the link' }).click();
    assert.equal(await page.locator('code.link-url').count(), 0);
    await page.reload();
    await linkRows(admin).first().waitFor();
    assert.doesNotMatch(await page.content(), new RegExp(url.slice(-43)), 'never shown again');

    await linkRows(admin)
      .first()
      .getByRole('button', { name: /^Revoke/ })
      .click();
    await admin.check('user-link-confirm-revoke');
    await linkRows(admin).first().getByRole('button', { name: /^Keep/ }).click();
    assert.match(await linkRows(admin).first().innerText(), /\sactive\s/, 'kept');
    await linkRows(admin)
      .first()
      .getByRole('button', { name: /^Revoke/ })
      .click();
    await linkRows(admin)
      .first()
      .getByRole('button', { name: /^Revoke for good/ })
      .click();
    await page.getByText('The link is revoked.').waitFor();
    assert.match(await linkRows(admin).first().innerText(), /\srevoked\s+revoked /);
    assert.equal(await linkRows(admin).first().getByRole('button').count(), 0, 'nothing left to revoke');
    const [revoked] = (await h.call('GET', `/api/v1/users/${encodeURIComponent(USER)}/enrollment-links`)).body.items;
    assert.equal(revoked.status, 'revoked');
    assert.ok(revoked.revokedAt);
    await admin.check('user-link-revoked');
    assert.deepEqual(admin.foreignRequests, []);
    assert.deepEqual(admin.pageProblems, []);
  });

  test('a link sent by email: refused while no mail server is set, then mailed with the URL shown', async () => {
    const { page } = admin;
    await page.goto(userUrl(h.base, MAILED_USER));
    await page.getByRole('heading', { name: 'Enrolment links', level: 2 }).waitFor();
    await page.getByLabel(`Send by email to ${MAILED_USER}`).check();
    await page.getByRole('button', { name: 'Issue an enrolment link' }).click();
    await page.locator('code.link-url').waitFor();
    await page.getByText('It was not sent by email: link emails are off or no mail server is set').waitFor();
    await admin.check('user-link-not-mailed');
    await page.getByRole('button', { name: 'Done, hide the link' }).click();

    const smtpSettings = await h.call('PUT', '/api/v1/settings/fallback-codes', {
      body: {
        email: { enabled: true, host: '127.0.0.1', port: smtp.port, secure: false, startTls: false, from: 'tollgate@example.org' },
        sms: { enabled: false, url: '' },
      },
    });
    assert.equal(smtpSettings.status, 200, smtpSettings.text);
    await page.getByLabel(`Send by email to ${MAILED_USER}`).check();
    await page.getByRole('button', { name: 'Issue an enrolment link' }).click();
    const shown = page.locator('code.link-url');
    await shown.waitFor();
    const url = await shown.innerText();
    await page.getByText(`It was also sent to ${MAILED_USER}.`).waitFor();
    const mail = await smtp.waitFor(0);
    assert.deepEqual(mail.to, [MAILED_USER]);
    const body = mailText(mail.raw);
    assert.ok(body.includes(url), 'the mail carries the URL shown');
    assert.match(body, /within 48 hours to set up the Contoso VPN code/);
    assert.match(body, /Subject: Set up your VPN code, erin@contoso\.com/);
    assert.equal(await linkRows(admin).count(), 2, 'both links listed');
    await admin.check('user-link-mailed');
  });

  test('a user who started enrolling in the portal shows the pending enrolment badge', async () => {
    await h.db.query(
      `INSERT INTO pending_totp_tokens (upn, secret_sealed, digits, period, algorithm, session_key, expires_at)
       VALUES ($1, $2, 6, 30, 'SHA1', 'portal-session-test', now() + interval '10 minutes')`,
      [PENDING_USER, h.keyring.seal('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', pendingTotpSeedContext(PENDING_USER))],
    );
    assert.equal((await h.call('GET', `/api/v1/users/${encodeURIComponent(PENDING_USER)}`)).body.pendingEnrollment, true);
    const { page } = admin;
    await page.goto(userUrl(h.base, PENDING_USER));
    await page.getByRole('heading', { name: 'Enrolment links', level: 2 }).waitFor();
    await page.getByText('pending enrolment', { exact: true }).waitFor();
    await admin.check('user-pending-enrolment');
  });

  test('helpdesk issues a link on the user page but has no portal settings', async () => {
    const desk = await visitor('portal-helpdesk');
    await signIn(desk, h.base, 'desk');
    assert.equal(await nav(desk).getByRole('link', { name: 'Self-service portal' }).count(), 0);
    await desk.page.goto(`${h.base}/settings/portal`);
    await desk.page.getByRole('heading', { name: 'Not available' }).waitFor();

    await desk.page.goto(userUrl(h.base, USER));
    await linkRows(desk).first().waitFor();
    await desk.page.getByRole('button', { name: 'Issue an enrolment link' }).click();
    const shown = desk.page.locator('code.link-url');
    await shown.waitFor();
    assert.match(await shown.innerText(), LINK_URL);
    assert.equal(await linkRows(desk).count(), 2);
    assert.match(await linkRows(desk).first().innerText(), /desk\s.*\sactive\s/, 'the newest first, issued by desk');
    const [newest] = (await h.call('GET', `/api/v1/users/${encodeURIComponent(USER)}/enrollment-links`)).body.items;
    const hours = (Date.parse(newest.expiresAt) - Date.parse(newest.createdAt)) / 3_600_000;
    assert.ok(Math.abs(hours - 48) < 0.1, `an empty validity takes the portal's (${hours} hours)`);
    await desk.check('user-link-issued');
    const settings = await desk.page.evaluate(async () => (await fetch('/api/v1/settings/portal')).status);
    assert.equal(settings, 403);
    assert.deepEqual(desk.pageProblems, []);
  });

  test('an auditor sees the portal settings locked and the links with no button', async () => {
    const auditor = await visitor('portal-auditor');
    await signIn(auditor, h.base, 'audit');
    await nav(auditor).getByRole('link', { name: 'Self-service portal', exact: true }).click();
    await auditor.page.getByRole('heading', { name: 'Microsoft app registration', level: 2 }).waitFor();
    assert.equal(
      await auditor.page.locator('main input:enabled, main select:enabled, main textarea:enabled').count(),
      0,
      'every field locked',
    );
    const settingsButtons = await auditor.page.getByRole('button').allInnerTexts();
    assert.deepEqual(
      settingsButtons.filter((b) => CHANGING.test(b)),
      [],
      `buttons shown: ${settingsButtons.join(', ')}`,
    );
    await auditor.page.getByText('A client secret is set.').waitFor();
    assert.doesNotMatch(await auditor.page.content(), new RegExp(CLIENT_SECRET));
    await auditor.check('portal-settings-read-only');

    await auditor.page.goto(userUrl(h.base, USER));
    await linkRows(auditor).nth(1).waitFor();
    assert.equal(await linkRows(auditor).count(), 2);
    const statuses = await linkRows(auditor).locator('td:nth-child(4)').allInnerTexts();
    assert.deepEqual(statuses, ['active', 'revoked']);
    assert.equal(await auditor.page.getByRole('button', { name: /Issue|Revoke/ }).count(), 0);
    assert.equal(await auditor.page.locator('main input').count(), 0, 'no form');
    await auditor.check('user-links-read-only');
    assert.deepEqual(auditor.foreignRequests, []);
    assert.deepEqual(auditor.pageProblems, []);
  });
});
