import assert from 'node:assert/strict';
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type EntraStandIn, startEntraStandIn } from './entra-stand-in.js';

const UPN = 'ada@contoso.example';
const PLAIN = 'bob@contoso.example';
const PASSWORD = 'correct horse';
const REDIRECT = 'http://127.0.0.1:9/callback';

let standIn: EntraStandIn;

before(async () => {
  standIn = await startEntraStandIn({
    users: { [UPN]: { password: PASSWORD, kind: 'mfa' }, [PLAIN]: { password: PASSWORD, kind: 'no_mfa' } },
  });
});
after(() => standIn.close());

interface Flow {
  verifier: string;
  nonce: string;
  state: string;
  authorize: URL;
}

function newFlow(): Flow {
  const verifier = randomBytes(32).toString('base64url');
  const nonce = randomBytes(12).toString('base64url');
  const state = randomBytes(12).toString('base64url');
  const authorize = new URL(`${standIn.url}/${standIn.tenant}/oauth2/v2.0/authorize`);
  for (const [k, v] of Object.entries({
    client_id: standIn.clientId,
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope: 'openid profile',
    response_mode: 'query',
    state,
    nonce,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  })) {
    authorize.searchParams.set(k, v);
  }
  return { verifier, nonce, state, authorize };
}

/** GET the form, POST it back like a browser; returns the redirect location or the page. */
async function signIn(flow: Flow, login: string, password: string): Promise<{ location: URL | null; page: string }> {
  const formPage = await fetch(flow.authorize, { redirect: 'manual' });
  assert.equal(formPage.status, 200);
  const html = await formPage.text();
  assert.match(html, /<form method="post">/);
  assert.doesNotMatch(html, /https?:\/\/(?!127\.0\.0\.1)/, 'no external resources');
  const fields = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields.set(m[1]!, unescapeHtml(m[2]!));
  fields.set('login', login);
  fields.set('passwd', password);
  const posted = await fetch(flow.authorize.origin + flow.authorize.pathname, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
  });
  const location = posted.headers.get('location');
  return { location: location ? new URL(location) : null, page: await posted.text() };
}

function unescapeHtml(text: string): string {
  return text.replace(/&#(\d+);/g, (_m, d: string) => String.fromCharCode(Number(d)));
}

async function redeem(code: string, verifier: string, redirectUri = REDIRECT): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${standIn.url}/${standIn.tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: standIn.clientId,
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    }).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function codeFor(login: string): Promise<{ flow: Flow; code: string }> {
  const flow = newFlow();
  const { location } = await signIn(flow, login, PASSWORD);
  assert.ok(location, 'redirected');
  assert.equal(location.origin + location.pathname, REDIRECT);
  assert.equal(location.searchParams.get('state'), flow.state);
  const code = location.searchParams.get('code');
  assert.ok(code);
  return { flow, code };
}

async function jwks(): Promise<Array<Record<string, string>>> {
  const res = await fetch(`${standIn.url}/${standIn.tenant}/discovery/v2.0/keys`);
  return ((await res.json()) as { keys: Array<Record<string, string>> }).keys;
}

/** Verifies with the JWKS; returns header, claims and whether the signature holds. */
async function decode(token: string): Promise<{ header: Record<string, unknown>; claims: Record<string, unknown>; valid: boolean }> {
  const [h, p, s] = token.split('.') as [string, string, string];
  const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>;
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
  const jwk = (await jwks()).find((k) => k.kid === header.kid);
  assert.ok(jwk, 'kid is in the JWKS');
  const key = createPublicKey({ key: { kty: jwk.kty!, n: jwk.n!, e: jwk.e! }, format: 'jwk' });
  const valid = verify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'));
  return { header, claims, valid };
}

async function tokenFor(
  login: string,
): Promise<{ flow: Flow; header: Record<string, unknown>; claims: Record<string, unknown>; valid: boolean }> {
  const { flow, code } = await codeFor(login);
  const { status, body } = await redeem(code, flow.verifier);
  assert.equal(status, 200);
  assert.equal(body.token_type, 'Bearer');
  assert.equal(typeof body.access_token, 'string');
  assert.equal(typeof body.expires_in, 'number');
  return { flow, ...(await decode(body.id_token as string)) };
}

describe('Entra stand-in: OpenID Connect sign-in', () => {
  it('publishes a v2.0 discovery document and a JWKS', async () => {
    const res = await fetch(`${standIn.url}/${standIn.tenant}/v2.0/.well-known/openid-configuration`);
    assert.equal(res.status, 200);
    const doc = (await res.json()) as Record<string, unknown>;
    assert.equal(doc.issuer, `${standIn.url}/${standIn.tenant}/v2.0`);
    assert.equal(doc.authorization_endpoint, `${standIn.url}/${standIn.tenant}/oauth2/v2.0/authorize`);
    assert.equal(doc.token_endpoint, `${standIn.url}/${standIn.tenant}/oauth2/v2.0/token`);
    assert.equal(doc.jwks_uri, `${standIn.url}/${standIn.tenant}/discovery/v2.0/keys`);
    assert.deepEqual(doc.id_token_signing_alg_values_supported, ['RS256']);
    assert.ok((doc.response_types_supported as string[]).includes('code'));
    const keys = await jwks();
    assert.equal(keys.length, 1);
    for (const field of ['kid', 'kty', 'n', 'e', 'use', 'x5t']) assert.equal(typeof keys[0]![field], 'string', field);
    assert.equal(keys[0]!.kty, 'RSA');
    assert.equal(keys[0]!.use, 'sig');
  });

  it('signs a user in through the code flow with PKCE and issues a verifiable v2.0 ID token', async () => {
    const { flow, header, claims, valid } = await tokenFor(UPN);
    assert.equal(valid, true);
    assert.equal(header.alg, 'RS256');
    assert.equal(claims.iss, `${standIn.url}/${standIn.tenant}/v2.0`);
    assert.equal(claims.aud, standIn.clientId);
    assert.equal(claims.tid, standIn.tenant);
    assert.equal(claims.nonce, flow.nonce);
    assert.equal(claims.preferred_username, UPN);
    assert.equal(claims.ver, '2.0');
    for (const c of ['sub', 'oid', 'name']) assert.equal(typeof claims[c], 'string', c);
    const now = Date.now() / 1000;
    assert.ok((claims.exp as number) > now && (claims.iat as number) <= now + 1 && (claims.nbf as number) <= now + 1);
    assert.deepEqual(claims.acrs, ['c1'], 'MFA shown by the authentication context claim');
    assert.equal(claims.amr, undefined);
  });

  it('a user without MFA gets no acrs', async () => {
    const { claims, valid } = await tokenFor(PLAIN);
    assert.equal(valid, true);
    assert.equal(claims.acrs, undefined);
  });

  it('shows the form again with AADSTS50126 on a wrong password', async () => {
    const { location, page } = await signIn(newFlow(), UPN, 'wrong');
    assert.equal(location, null);
    assert.match(page, /AADSTS50126/);
    assert.match(page, /<form method="post">/);
    assert.doesNotMatch(page, /wrong/);
  });

  it('refuses a PKCE mismatch, a reused code and a different redirect_uri', async () => {
    let { flow, code } = await codeFor(UPN);
    let reply = await redeem(code, randomBytes(32).toString('base64url'));
    assert.equal(reply.status, 400);
    assert.equal(reply.body.error, 'invalid_grant');
    ({ flow, code } = await codeFor(UPN));
    assert.equal((await redeem(code, flow.verifier)).status, 200);
    reply = await redeem(code, flow.verifier);
    assert.equal(reply.status, 400);
    assert.equal(reply.body.error, 'invalid_grant');
    ({ flow, code } = await codeFor(UPN));
    reply = await redeem(code, flow.verifier, 'http://127.0.0.1:9/other');
    assert.equal(reply.status, 400);
    assert.equal(reply.body.error, 'invalid_grant');
  });

  it('refuses a code past its lifetime', async () => {
    const main = standIn;
    standIn = await startEntraStandIn({ codeLifetimeMs: 30, users: { [UPN]: { password: PASSWORD, kind: 'mfa' } } });
    try {
      const { flow, code } = await codeFor(UPN);
      await new Promise((resolve) => setTimeout(resolve, 80));
      const reply = await redeem(code, flow.verifier);
      assert.equal(reply.status, 400);
      assert.equal(reply.body.error, 'invalid_grant');
    } finally {
      await standIn.close();
      standIn = main;
    }
  });

  it('answers bad authorize requests as Entra does', async () => {
    const bad = newFlow().authorize;
    bad.searchParams.delete('code_challenge');
    let res = await fetch(bad, { redirect: 'manual' });
    assert.equal(res.status, 302);
    const location = new URL(res.headers.get('location')!);
    assert.equal(location.searchParams.get('error'), 'invalid_request');
    assert.match(location.searchParams.get('error_description')!, /^AADSTS/);
    const page = newFlow().authorize;
    page.searchParams.set('redirect_uri', 'https://elsewhere.example/cb');
    res = await fetch(page, { redirect: 'manual' });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /AADSTS50011/);
  });

  it('switches make the ID token defective as asked', async () => {
    try {
      standIn.setOidcFault('no_mfa', UPN);
      assert.equal((await tokenFor(UPN)).claims.acrs, undefined);
      standIn.setOidcFault('wrong_nonce');
      const perUser = await tokenFor(UPN);
      assert.equal(perUser.claims.nonce, perUser.flow.nonce, 'the per-user switch wins over the global one');
      assert.equal(perUser.claims.acrs, undefined);
      const wrongNonce = await tokenFor(PLAIN);
      assert.notEqual(wrongNonce.claims.nonce, wrongNonce.flow.nonce);
      standIn.setOidcFault(null, UPN);
      standIn.setOidcFault('wrong_audience');
      assert.notEqual((await tokenFor(UPN)).claims.aud, standIn.clientId);
      standIn.setOidcFault('expired');
      assert.ok(((await tokenFor(UPN)).claims.exp as number) < Date.now() / 1000);
      standIn.setOidcFault('bad_signature');
      assert.equal((await tokenFor(UPN)).valid, false);
      standIn.setOidcFault(null);
      assert.equal((await tokenFor(UPN)).valid, true);
    } finally {
      standIn.setOidcFault(null);
      standIn.setOidcFault(null, UPN);
    }
  });

  it('keeps ROPC as it was', async () => {
    const res = await fetch(`${standIn.url}/${standIn.tenant}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: standIn.clientId,
        username: PLAIN,
        password: PASSWORD,
        scope: 'openid',
      }).toString(),
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as Record<string, unknown>;
    assert.match(body.id_token as string, /^standin-token\.id\./);
  });
});
