import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PortalOidcSignInRequest } from '@tollgate/contracts';
import { authorizeUrl, codeChallenge, newSignIn, redirectUri } from './authorize-request.js';

test('codeChallenge is the RFC 7636 S256 of the verifier (appendix B)', () => {
  assert.equal(codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
});

test('a new sign-in has fresh, contract-shaped state, nonce and verifier', () => {
  const a = newSignIn();
  const b = newSignIn();
  assert.notEqual(a.state, b.state);
  assert.notEqual(a.nonce, b.nonce);
  assert.notEqual(a.codeVerifier, b.codeVerifier);
  for (const s of [a.state, a.nonce, a.codeVerifier]) assert.match(s, /^[A-Za-z0-9_-]{43}$/);
  const shaped = PortalOidcSignInRequest.safeParse({
    code: 'x',
    codeVerifier: a.codeVerifier,
    nonce: a.nonce,
    redirectUri: 'https://enrol.contoso.com/callback',
    source: '203.0.113.9',
  });
  assert.ok(shaped.success);
});

for (const [publicUrl, expected] of [
  ['https://enrol.contoso.com', 'https://enrol.contoso.com/callback'],
  ['https://enrol.contoso.com/', 'https://enrol.contoso.com/callback'],
  ['https://contoso.com/enrol', 'https://contoso.com/enrol/callback'],
] as const) {
  test(`redirectUri(${publicUrl})`, () => assert.equal(redirectUri(publicUrl), expected));
}

test('the authorize URL carries the code flow, PKCE, state, nonce, prompt and the acrs claims request', () => {
  const start = newSignIn();
  const url = new URL(
    authorizeUrl(
      { authorizeEndpoint: 'https://login.microsoftonline.com/tid/oauth2/v2.0/authorize', clientId: 'app-id', mfaContext: 'c1' },
      'https://enrol.contoso.com',
      start,
    ),
  );
  assert.equal(url.origin + url.pathname, 'https://login.microsoftonline.com/tid/oauth2/v2.0/authorize');
  const p = Object.fromEntries(url.searchParams);
  assert.deepEqual(p, {
    client_id: 'app-id',
    response_type: 'code',
    response_mode: 'query',
    redirect_uri: 'https://enrol.contoso.com/callback',
    scope: 'openid profile',
    state: start.state,
    nonce: start.nonce,
    code_challenge: codeChallenge(start.codeVerifier),
    code_challenge_method: 'S256',
    prompt: 'login',
    claims: '{"id_token":{"acrs":{"essential":true,"value":"c1"}}}',
  });
  assert.ok(!url.search.includes(start.codeVerifier), 'the verifier itself never leaves the portal');
});

test('an authorize endpoint that already has a query keeps it', () => {
  const url = new URL(
    authorizeUrl(
      { authorizeEndpoint: 'http://127.0.0.1:9/authorize?x=1', clientId: 'c', mfaContext: 'c2' },
      'http://127.0.0.1:8',
      newSignIn(),
    ),
  );
  assert.equal(url.searchParams.get('x'), '1');
  assert.equal(JSON.parse(url.searchParams.get('claims')!).id_token.acrs.value, 'c2');
});
