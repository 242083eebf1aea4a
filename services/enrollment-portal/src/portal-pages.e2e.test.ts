import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeQrPng, startEntraStandIn, type EntraStandIn } from '@tollgate/testkit';
import { openConsole, type ConsoleVisitor } from '@tollgate/testkit/browser';
import { DEFAULT_ANSWERS, LINK, settingsFor, startPortalHarness, viewOf, type PortalHarness } from './testing/portal-harness.js';

/**
 * The portal's pages in Chromium at a phone's width (360 px): axe-core finds no serious or critical
 * violation, nothing overflows sideways, no request leaves the portal and the CSP refuses nothing.
 * The browser posts the forms itself, so the CSRF tokens and the origin check meet a real browser's
 * headers (`Origin: null` under `Referrer-Policy: no-referrer`, `Sec-Fetch-Site: same-origin`).
 */
let h: PortalHarness;
let v: ConsoleVisitor;
let entra: EntraStandIn;
before(async () => {
  entra = await startEntraStandIn({
    users: {
      'alice@contoso.test': { password: 'Alice-Pass-1', kind: 'mfa' },
      'bob@contoso.test': { password: 'Bob-Pass-1', kind: 'no_mfa' },
    },
  });
  h = await startPortalHarness();
  v = await openConsole(h.base, 'portal');
  await v.page.setViewportSize({ width: 360, height: 740 });
});
after(async () => {
  await v?.close();
  await h?.close();
  await entra?.close();
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

/** The ID token's claims (no signature check here: the admin API's side does that; this stands in for it). */
function claimsOf(idToken: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(idToken.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

test('Sign in with Microsoft in the browser: to the authorize endpoint and back with a code that redeems with the verifier', async () => {
  const { page } = v;
  const authorizeEndpoint = `${entra.url}/${entra.tenant}/oauth2/v2.0/authorize`;
  h.answers.portalSettings = () =>
    settingsFor(h.base, { oidc: { enabled: true, authorizeEndpoint, clientId: entra.clientId, mfaContext: 'c1' } });
  // Standing in for the admin API: redeem the code (PKCE) and require the nonce and the MFA context.
  h.answers.portalSignInOidc = async (r) => {
    const token = await fetch(`${entra.url}/${entra.tenant}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: entra.clientId,
        code: String(r.code),
        redirect_uri: String(r.redirectUri),
        code_verifier: String(r.codeVerifier),
      }),
    });
    if (token.status !== 200) return { outcome: 'failed', reason: 'sign_in_invalid' };
    const claims = claimsOf(((await token.json()) as { id_token: string }).id_token);
    if (claims.nonce !== r.nonce) return { outcome: 'failed', reason: 'sign_in_invalid' };
    if (!(claims.acrs as string[] | undefined)?.includes('c1')) return { outcome: 'failed', reason: 'mfa_not_performed' };
    return { outcome: 'ok', view: viewOf({ upn: String(claims.preferred_username), displayName: String(claims.name ?? '') }) };
  };
  const signIn = async (login: string, password: string) => {
    await page.goto(`${h.base}/`);
    await page.getByRole('button', { name: 'Sign in with Microsoft' }).click();
    await page.waitForURL((url) => url.href.startsWith(authorizeEndpoint));
    await page.getByLabel('Email').fill(login);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };

  await signIn('alice@contoso.test', 'Alice-Pass-1');
  await page.waitForURL(`${h.base}/enrol`);
  assert.ok((await page.locator('main').textContent())?.includes('alice@contoso.test'));

  // A user for whom Entra performed no MFA is told so, and gets no session.
  await signIn('bob@contoso.test', 'Bob-Pass-1');
  await page.getByRole('heading', { name: 'Multi-factor sign-in required' }).waitFor();
  await checkPage('mfa-required');

  assert.deepEqual(
    v.foreignRequests.filter((url) => !url.startsWith(`${entra.url}/`)),
    [],
    'nothing but the portal and the authorize endpoint was asked',
  );
  assert.deepEqual(v.pageProblems, [], 'the CSP let the form redirect to the authorize endpoint');
});
