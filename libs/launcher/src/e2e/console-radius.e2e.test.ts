/**
 * The console all the way to RADIUS, on the one-box install: an admin signs in to the console in
 * Chromium, adds a user and enrols an authenticator app; the QR code is read from a screenshot,
 * `oathtool` makes a code from the seed it holds, and `radclient` with the user's password and
 * that code gets an Access-Accept from the running Tollgate, which the dashboard then counts. Then
 * the Entra page saves the connection to the Entra stand-in and its Test button shows each
 * outcome (MFA required, wrong password, no MFA) with the explanation the API gives.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { decodeQrPng, oathtoolTotp, radclient } from '@tollgate/testkit';
import { openConsole, type ConsoleVisitor } from '@tollgate/testkit/browser';
import { startEmbeddedStack } from './embedded-stack.js';
import type { Stack } from './stack.js';

const DOMAIN = 'contoso.com';
const ADMIN_PASSWORD = 'a long passphrase for the console';
const RADIUS_SECRET = `nas-${randomBytes(12).toString('hex')}`;

let stack: Stack;
let browser: ConsoleVisitor;

before(async () => {
  stack = await startEmbeddedStack();
  await stack.admin.useEntraStandIn(stack.entra, DOMAIN);
  await stack.admin.call('POST', '/api/v1/radius-clients', { name: 'vpn-1', address: '127.0.0.1', secret: RADIUS_SECRET });
  await stack.admin.call('POST', '/api/v1/admins', { username: 'root', password: ADMIN_PASSWORD, role: 'admin' });
  browser = await openConsole(stack.admin.base, 'embedded-radius');
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

test('a user enrolled in the console, with the QR code read from a screenshot, gets an Access-Accept through radclient', async () => {
  const { page } = browser;
  const password = `Pw-${randomBytes(6).toString('base64url')}!`;
  stack.entra.setUser(`zoe@${DOMAIN}`, { password, kind: 'mfa' });

  await page.goto(`${stack.admin.base}/`);
  await page.getByLabel('User name', { exact: true }).fill('root');
  await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await browser.check('dashboard-before');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
  // A bare name gets the Entra domain.
  await page.getByLabel('User name (UPN)').fill('zoe');
  await page.getByRole('button', { name: 'Add user' }).click();
  await page.getByRole('heading', { name: `zoe@${DOMAIN}` }).waitFor();
  await page.getByRole('button', { name: 'Enrol an authenticator app' }).click();
  const qr = page.locator('img.qr');
  await qr.waitFor();
  await browser.check('user-enrolment-qr');
  const seed = new URL(decodeQrPng(await qr.screenshot())).searchParams.get('secret');
  assert.match(seed ?? '', /^[A-Z2-7]{32}$/);

  const code = await oathtoolTotp({ base32Secret: seed! });
  const reply = await radclient({
    port: stack.radiusPort,
    secret: RADIUS_SECRET,
    attributes: { 'User-Name': `zoe@${DOMAIN}`, 'User-Password': password + code, 'NAS-Identifier': 'vpn-1' },
    timeoutSec: 4,
    retries: 1,
    messageAuthenticator: true,
  });
  assert.equal(reply.code, 'Access-Accept', reply.raw);

  // The aggregator writes the auth log in batches: the user's page shows the accept once it is there.
  let lastAccept = 'never';
  for (let i = 0; i < 50 && /never/.test(lastAccept); i++) {
    await page.reload();
    await page.getByRole('heading', { name: 'Account' }).waitFor();
    lastAccept = await page.locator('dl.facts div', { hasText: 'Last successful authentication' }).locator('dd').innerText();
    if (/never/.test(lastAccept)) await new Promise((r) => setTimeout(r, 100));
  }
  assert.match(lastAccept, /via vpn-1/);
  await browser.check('user-accepted');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
  await page.locator('.summary-item', { hasText: 'Accepted in the last day' }).waitFor();
  assert.equal(await page.locator('.summary-item', { hasText: 'Accepted in the last day' }).locator('.summary-value').innerText(), '1');
  await page.getByRole('heading', { name: 'Services' }).waitFor();
  const services = await page.getByRole('heading', { name: 'Services' }).locator('..').innerText();
  for (const name of ['otp-verifier', 'entra-verifier', 'aggregator'])
    assert.match(services, new RegExp(name), `${name} in the health table`);
  await browser.check('dashboard-after');
  assert.deepEqual(browser.foreignRequests, []);
  assert.deepEqual(browser.pageProblems, []);
});

test('the Entra page saves the connection to the stand-in and its Test shows each outcome with the explanation', async () => {
  const { page } = browser;
  const password = `Pw-${randomBytes(6).toString('base64url')}!`;
  stack.entra.setUser(`yan@${DOMAIN}`, { password, kind: 'mfa' });
  stack.entra.setUser(`nomfa@${DOMAIN}`, { password, kind: 'no_mfa' });

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Entra ID' }).click();
  await page.getByRole('heading', { name: 'Entra ID', level: 1 }).waitFor();
  assert.equal(await page.getByLabel('Tenant').inputValue(), stack.entra.tenant, 'the stored tenant');
  // Saved again through the form, as an admin would: the same tenant, client and stand-in authority.
  await page.getByLabel('Tenant').fill(stack.entra.tenant.toUpperCase());
  await page.getByLabel('Authority host').fill(stack.entra.url);
  await page.getByRole('button', { name: 'Save Entra settings' }).click();
  await page.getByText('The Entra settings are saved.').waitFor();
  assert.equal(await page.getByLabel('Tenant').inputValue(), stack.entra.tenant, 'the API answers the tenant canonical');

  const asked = stack.entra.requests.count;
  const runTest = async (username: string, typed: string) => {
    await page.getByLabel('Test user name').fill(username);
    await page.getByLabel('Test password').fill(typed);
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    const result = page.locator('.test-result');
    await result.waitFor();
    return result.innerText();
  };
  // A bare name gets the domain, as on RADIUS.
  assert.match(await runTest('yan', password), /password_ok_mfa\s+Password verified; the account requires MFA, as Tollgate needs\./);
  assert.equal(await page.getByLabel('Test password').inputValue(), '', 'the test password is not kept in the form');
  await browser.check('entra-test-ok');
  assert.match(
    await runTest('yan', 'not-the-password'),
    /invalid_credentials\s+Entra rejected the user name or password\.[\s\S]*AADSTS code\s+50126/,
  );
  assert.match(await runTest('nomfa', password), /no_mfa\s+Password verified, but Entra issued a token without MFA/);
  await browser.check('entra-test-no-mfa');
  assert.equal(stack.entra.requests.count - asked, 3, 'each test asked the stand-in once');
  assert.doesNotMatch(await page.content(), new RegExp(password.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'no password on the page');
  assert.deepEqual(browser.foreignRequests, []);
  assert.deepEqual(browser.pageProblems, []);
});
