import { createHash, randomBytes } from 'node:crypto';

/**
 * The start of a Microsoft sign-in (OpenID Connect code flow with PKCE): fresh state, nonce and
 * code verifier, and the authorize URL that carries the state, the nonce, the S256 challenge and
 * the claims request for the authentication context whose Conditional Access policy requires MFA.
 * `prompt=login` makes the person at the keyboard sign in now, not ride an old browser session.
 */
export interface SignInStart {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export function newSignIn(): SignInStart {
  return {
    state: randomBytes(32).toString('base64url'),
    nonce: randomBytes(32).toString('base64url'),
    // 32 bytes, base64url: 43 characters of the RFC 7636 alphabet.
    codeVerifier: randomBytes(32).toString('base64url'),
  };
}

export function codeChallenge(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier, 'ascii').digest('base64url');
}

export interface AuthorizeTarget {
  authorizeEndpoint: string;
  clientId: string;
  mfaContext: string;
}

/** `<publicUrl>/callback`, the redirect URI registered for the app. */
export function redirectUri(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/callback`;
}

export function authorizeUrl(target: AuthorizeTarget, publicUrl: string, start: SignInStart): string {
  const url = new URL(target.authorizeEndpoint);
  const params: Array<[string, string]> = [
    ['client_id', target.clientId],
    ['response_type', 'code'],
    ['response_mode', 'query'],
    ['redirect_uri', redirectUri(publicUrl)],
    ['scope', 'openid profile'],
    ['state', start.state],
    ['nonce', start.nonce],
    ['code_challenge', codeChallenge(start.codeVerifier)],
    ['code_challenge_method', 'S256'],
    ['prompt', 'login'],
    ['claims', JSON.stringify({ id_token: { acrs: { essential: true, value: target.mfaContext } } })],
  ];
  for (const [k, v] of params) url.searchParams.set(k, v);
  return url.toString();
}
