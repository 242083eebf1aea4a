import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeQrPng } from '@tollgate/testkit';
import { openConsole, type ConsoleVisitor } from '@tollgate/testkit/browser';
import { DEFAULT_ANSWERS, LINK, startPortalHarness, type PortalHarness } from './testing/portal-harness.js';

/**
 * The portal's pages in Chromium at a phone's width (360 px): axe-core finds no serious or critical
 * violation, nothing overflows sideways, no request leaves the portal and the CSP refuses nothing.
 * The browser posts the forms itself, so the CSRF tokens and the origin check meet a real browser's
 * headers (`Origin: null` under `Referrer-Policy: no-referrer`, `Sec-Fetch-Site: same-origin`).
 */
let h: PortalHarness;
let v: ConsoleVisitor;
before(async () => {
  h = await startPortalHarness();
  v = await openConsole(h.base, 'portal');
  await v.page.setViewportSize({ width: 360, height: 740 });
});
after(async () => {
  await v?.close();
  await h?.close();
});

async function checkPage(name: string): Promise<void> {
  await v.check(name);
  const overflow = await v.page.evaluate(() => {
    const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document
      .documentElement;
    return root.scrollWidth - root.clientWidth;
  });
  assert.ok(overflow <= 0, `${name}: ${overflow}px wider than a 360 px screen`);
}

test('landing, link, enrolment, QR code and success pages at 360 px: accessible, self-contained, within the CSP', async () => {
  const { page } = v;
  await page.goto(`${h.base}/`);
  assert.equal(await page.locator('h1').textContent(), 'Set up your VPN authenticator');
  await checkPage('landing');

  await page.goto(`${h.base}/l/${LINK}`);
  await page.getByLabel('Your work account password').fill('a password');
  await checkPage('link-password');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(`${h.base}/enrol`);
  assert.equal(
    h.seen.filter((s) => s.subject === 'portalSignInLink').length,
    1,
    'the browser’s own POST passed the CSRF and origin checks',
  );
  await checkPage('enrol');

  await page.getByRole('button', { name: 'Show my QR code' }).click();
  await page.locator('svg.qr').waitFor();
  const box = await page.locator('svg.qr').boundingBox();
  assert.ok(box && box.width >= 150 && box.width <= 330, `QR code ${box?.width}px wide`);
  // What a phone's camera reads from the rendered page is the otpauth URI the admin API answered.
  const expected = (DEFAULT_ANSWERS(h.base).portalEnrolStart({}) as { otpauthUri: string }).otpauthUri;
  assert.equal(decodeQrPng(await page.locator('svg.qr').screenshot()), expected);
  await checkPage('qr-code');

  await page.getByLabel('Code shown in your app').fill('123456');
  await page.getByRole('button', { name: 'Finish' }).click();
  await page.getByRole('heading', { name: 'Your authenticator is set up' }).waitFor();
  await checkPage('success');

  assert.deepEqual(v.foreignRequests, []);
  assert.deepEqual(v.pageProblems, []);
});
