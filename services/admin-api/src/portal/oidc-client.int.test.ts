/**
 * The ID-token checks of the portal's Microsoft sign-in, against a small token endpoint of the
 * test's own (discovery, JWKS, a token answer it chooses) signing with jose: the claims the Entra
 * stand-in's faults do not reach (tenant, issuer, a future iat, another authentication context,
 * no user name, an algorithm other than RS256), and what a token endpoint that refuses or fails gives.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { OidcClient, type OidcResult } from './oidc-client.js';

const TENANT = '11111111-2222-4333-8444-555555555555';
const CLIENT = '66666666-7777-4888-9999-000000000000';
const NONCE = 'nonce-0123456789abcdef';

let server: Server;
let origin = '';
let keys: Awaited<ReturnType<typeof generateKeyPair>>;
let jwk: Record<string, unknown>;
let answer: { status: number; body: unknown } = { status: 200, body: {} };
let lastForm = new URLSearchParams();
const client = new OidcClient();

before(async () => {
  keys = await generateKeyPair('RS256');
  jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', use: 'sig', alg: 'RS256' };
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.url === `/${TENANT}/v2.0/.well-known/openid-configuration`)
        return json(200, { issuer: `${origin}/${TENANT}/v2.0`, jwks_uri: `${origin}/${TENANT}/discovery/v2.0/keys` });
      if (req.url === `/${TENANT}/discovery/v2.0/keys`) return json(200, { keys: [jwk] });
      if (req.url === `/${TENANT}/oauth2/v2.0/token` && req.method === 'POST') {
        lastForm = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        return json(answer.status, answer.body);
      }
      json(404, {});
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  await client.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function idToken(change: JWTPayload = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: JWTPayload = {
    iss: `${origin}/${TENANT}/v2.0`,
    aud: CLIENT,
    iat: now,
    nbf: now,
    exp: now + 3600,
    nonce: NONCE,
    tid: TENANT,
    preferred_username: 'Ann@Contoso.com',
    name: 'Ann',
    acrs: ['c1'],
    ...change,
  };
  for (const [k, v] of Object.entries(change)) if (v === undefined) delete claims[k];
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(keys.privateKey);
}

async function signIn(token: string | null, status = 200): Promise<OidcResult> {
  answer = { status, body: token === null ? { error: 'invalid_grant' } : { token_type: 'Bearer', id_token: token, access_token: 'at' } };
  return client.signIn(
    { origin, tenant: TENANT, clientId: CLIENT, clientSecret: 'app-secret' },
    { code: 'the-code', codeVerifier: 'v'.repeat(43), redirectUri: 'https://enrol.contoso.com/callback', nonce: NONCE, mfaContext: 'c1' },
    5000,
  );
}

describe('portal OIDC client', () => {
  test('a good token: the user; the code redeemed with PKCE and the client secret', async () => {
    assert.deepEqual(await signIn(await idToken()), { outcome: 'ok', username: 'Ann@Contoso.com', displayName: 'Ann' });
    assert.equal(lastForm.get('grant_type'), 'authorization_code');
    assert.equal(lastForm.get('code_verifier'), 'v'.repeat(43));
    assert.equal(lastForm.get('client_secret'), 'app-secret');
    assert.equal(lastForm.get('redirect_uri'), 'https://enrol.contoso.com/callback');
  });

  test('each check, table-driven', async () => {
    const now = Math.floor(Date.now() / 1000);
    const table: Array<[string, JWTPayload, OidcResult['outcome']]> = [
      ['another tenant', { tid: '99999999-2222-4333-8444-555555555555' }, 'invalid'],
      ['another issuer', { iss: `${origin}/organizations/v2.0` }, 'invalid'],
      ['another audience', { aud: 'someone-else' }, 'invalid'],
      ['another nonce', { nonce: 'nonce-somebody-elses' }, 'invalid'],
      ['no nonce', { nonce: undefined }, 'invalid'],
      ['expired', { iat: now - 7200, nbf: now - 7200, exp: now - 3600 }, 'invalid'],
      ['not yet valid', { nbf: now + 3600 }, 'invalid'],
      ['issued in the future', { iat: now + 3600 }, 'invalid'],
      ['within the clock tolerance', { iat: now + 30, nbf: now + 30 }, 'ok'],
      ['no user name', { preferred_username: undefined }, 'invalid'],
      ['no acrs', { acrs: undefined }, 'mfa_not_performed'],
      ['another authentication context', { acrs: ['c2'] }, 'mfa_not_performed'],
      ['acrs among others', { acrs: ['c2', 'c1'] }, 'ok'],
    ];
    for (const [label, change, outcome] of table) assert.equal((await signIn(await idToken(change))).outcome, outcome, label);
  });

  test('not RS256, or signed by another key: invalid', async () => {
    const claims = decodeJwt(await idToken());
    const pss = await generateKeyPair('PS256');
    const notRs256 = await new SignJWT(claims).setProtectedHeader({ alg: 'PS256', kid: 'k1' }).sign(pss.privateKey);
    assert.equal((await signIn(notRs256)).outcome, 'invalid');
    const other = await generateKeyPair('RS256');
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(other.privateKey);
    assert.equal((await signIn(forged)).outcome, 'invalid');
  });

  test('a refused code is invalid; a failing or unreachable token endpoint is unavailable', async () => {
    assert.deepEqual(await signIn(null, 400), { outcome: 'invalid', check: 'token_endpoint:invalid_grant' });
    assert.equal((await signIn(null, 503)).outcome, 'unavailable');
    const down = await client.signIn(
      { origin: 'http://127.0.0.1:1', tenant: TENANT, clientId: CLIENT },
      { code: 'c', codeVerifier: 'v'.repeat(43), redirectUri: 'https://e/callback', nonce: NONCE, mfaContext: 'c1' },
      2000,
    );
    assert.equal(down.outcome, 'unavailable');
  });
});
