/**
 * OpenID Connect sign-in for the Entra stand-in: the v2.0 discovery document, the JWKS, the
 * authorize endpoint (a small login form) and the `authorization_code` grant with PKCE S256,
 * issuing RS256-signed v2.0 ID tokens. Shapes follow Microsoft's pages:
 * https://learn.microsoft.com/en-us/entra/identity-platform/v2-protocols-oidc (discovery),
 * https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow (code flow),
 * https://learn.microsoft.com/en-us/entra/identity-platform/id-token-claims-reference (claims).
 *
 * How MFA shows: v2.0 ID tokens carry no `amr` (Microsoft documents `amr` for v1.0 tokens only).
 * What Microsoft documents for v2.0 is Conditional Access authentication context: a policy that
 * requires MFA for an authentication context ID (`c1` … `c99`) and, once it is satisfied, the
 * `acrs` claim listing the satisfied IDs
 * (https://learn.microsoft.com/en-us/entra/identity-platform/developer-guide-conditional-access-authentication-context,
 * https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference).
 * So a sign-in that performed MFA carries `acrs: [<mfaContext>]` (default `c1`) and one without
 * MFA carries no `acrs`.
 */
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, randomUUID, sign, timingSafeEqual } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** A deliberate defect in the next ID tokens, for testing a relying party's checks. */
export type EntraOidcFault = 'no_mfa' | 'wrong_nonce' | 'wrong_audience' | 'expired' | 'bad_signature';

export interface OidcUser {
  password: string;
  kind: string;
}

export interface OidcReply {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

export interface EntraOidcConfig {
  baseUrl: () => string;
  tenant: string;
  clientId: string;
  /** Registered redirect URIs; when absent any loopback `http://127.0.0.1|localhost` URI is accepted. */
  redirectUris?: readonly string[];
  /** Authentication context ID emitted in `acrs` when the sign-in performed MFA. */
  mfaContext?: string;
  /** How long an authorization code can be redeemed, in ms (default 60 s). */
  codeLifetimeMs?: number;
  findUser: (upn: string) => OidcUser | undefined;
}

export interface EntraOidc {
  handle(method: string, url: URL, body: string | null, contentType: string): OidcReply | null;
  redeem(form: URLSearchParams): OidcReply;
  setFault(fault: EntraOidcFault | null, upn?: string): void;
}

const CODE_TTL_MS = 60_000;
const TOKEN_TTL_S = 3600;
const AUTH_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/authorize$/;
const CONFIG_PATH = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/;
const KEYS_PATH = /^\/([^/]+)\/discovery\/v2\.0\/keys$/;
const REQUIRED = ['client_id', 'response_type', 'redirect_uri', 'scope'] as const;

interface Grant {
  upn: string;
  name: string;
  redirectUri: string;
  nonce: string | null;
  challenge: string;
  mfa: boolean;
  expires: number;
}

interface Signer {
  kid: string;
  key: KeyObject;
  jwk: Record<string, unknown>;
}

function newSigner(): Signer {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  // No certificate here, so x5t (and kid, which Entra sets to the same value) is the SHA-1
  // thumbprint of the public key's DER.
  const thumb = createHash('sha1')
    .update(publicKey.export({ format: 'der', type: 'spki' }))
    .digest('base64url');
  const { n, e } = publicKey.export({ format: 'jwk' });
  return {
    kid: thumb,
    key: createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' })),
    jwk: { kty: 'RSA', use: 'sig', kid: thumb, x5t: thumb, n, e },
  };
}

export function createEntraOidc(config: EntraOidcConfig): EntraOidc {
  const signer = newSigner();
  const stranger = newSigner();
  const codes = new Map<string, Grant>();
  const faults = new Map<string, EntraOidcFault>();
  let globalFault: EntraOidcFault | null = null;
  const issuer = () => `${config.baseUrl()}/${config.tenant}/v2.0`;

  function redirectOk(uri: string): boolean {
    if (config.redirectUris) return config.redirectUris.includes(uri);
    try {
      const u = new URL(uri);
      return u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === 'localhost');
    } catch {
      return false;
    }
  }

  function discovery(): OidcReply {
    const base = config.baseUrl();
    const t = config.tenant;
    const doc = {
      token_endpoint: `${base}/${t}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/${t}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: issuer(),
      request_uri_parameter_supported: false,
      userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
      authorization_endpoint: `${base}/${t}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/${t}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/${t}/oauth2/v2.0/logout`,
      claims_supported: [
        'sub',
        'iss',
        'cloud_instance_name',
        'cloud_instance_host_name',
        'cloud_graph_host_name',
        'msgraph_host',
        'aud',
        'exp',
        'iat',
        'auth_time',
        'acr',
        'nonce',
        'preferred_username',
        'name',
        'tid',
        'ver',
        'at_hash',
        'c_hash',
        'email',
      ],
      kerberos_endpoint: `${base}/${t}/kerberos`,
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
      rbac_url: 'https://pas.windows.net',
    };
    return json(200, doc);
  }

  function page(title: string, text: string, status = 400): OidcReply {
    return {
      status,
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><h1>${esc(title)}</h1><p>${esc(text)}</p></body></html>`,
    };
  }

  function form(params: URLSearchParams, error?: string): OidcReply {
    const hidden = [...params]
      .filter(([k]) => k !== 'login' && k !== 'passwd')
      .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
      .join('');
    const err = error ? `<p id="error" role="alert">${esc(error)}</p>` : '';
    const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in to your account</title></head><body><h1>Sign in</h1>${err}<form method="post"><label>Email <input name="login" type="email" autocomplete="username" value="${esc(params.get('login') ?? '')}"></label><label>Password <input name="passwd" type="password" autocomplete="current-password"></label>${hidden}<button type="submit">Sign in</button></form></body></html>`;
    return { status: 200, contentType: 'text/html; charset=utf-8', body };
  }

  function redirectError(uri: string, state: string | null, error: string, code: number, text: string): OidcReply {
    const u = new URL(uri);
    u.searchParams.set('error', error);
    u.searchParams.set('error_description', `AADSTS${code}: ${text} Trace ID: ${randomUUID()} Correlation ID: ${randomUUID()}`);
    if (state !== null) u.searchParams.set('state', state);
    return { status: 302, contentType: 'text/plain', body: '', headers: { location: u.toString() } };
  }

  function authorize(method: string, tenant: string, params: URLSearchParams): OidcReply {
    if (tenant !== config.tenant && tenant !== 'organizations' && tenant !== 'common') {
      return page('Sorry, but we’re having trouble signing you in.', 'AADSTS90002: Tenant not found.');
    }
    const clientId = params.get('client_id');
    if (clientId !== config.clientId) {
      return page(
        'Sorry, but we’re having trouble signing you in.',
        `AADSTS700016: Application with identifier '${clientId ?? ''}' was not found in the directory.`,
      );
    }
    const redirectUri = params.get('redirect_uri') ?? '';
    if (!redirectOk(redirectUri)) {
      return page(
        'Sorry, but we’re having trouble signing you in.',
        'AADSTS50011: The redirect URI specified in the request does not match the redirect URIs configured for the application.',
      );
    }
    const state = params.get('state');
    for (const name of REQUIRED) {
      if (!params.get(name))
        return redirectError(
          redirectUri,
          state,
          'invalid_request',
          900144,
          `The request body must contain the following parameter: '${name}'.`,
        );
    }
    if (params.get('response_type') !== 'code')
      return redirectError(redirectUri, state, 'unsupported_response_type', 700054, 'response_type is not enabled for the application.');
    const mode = params.get('response_mode') ?? 'query';
    if (mode !== 'query')
      return redirectError(redirectUri, state, 'invalid_request', 900144, 'Only response_mode query is supported by this stand-in.');
    if (!(params.get('scope') ?? '').split(/\s+/).includes('openid'))
      return redirectError(
        redirectUri,
        state,
        'invalid_scope',
        70011,
        "The provided value for the input parameter 'scope' isn't valid: it must include 'openid'.",
      );
    const challenge = params.get('code_challenge');
    if (!challenge)
      return redirectError(
        redirectUri,
        state,
        'invalid_request',
        9002325,
        'Proof Key for Code Exchange is required for cross-origin authorization code redemption.',
      );
    if (params.get('code_challenge_method') !== 'S256')
      return redirectError(redirectUri, state, 'invalid_request', 501491, "Invalid code_challenge_method: only 'S256' is accepted.");
    if (method === 'GET') return form(params);

    const upn = (params.get('login') ?? '').toLowerCase();
    const user = config.findUser(upn);
    if (!user) return form(params, 'AADSTS50034: This username may be incorrect. Make sure you typed it correctly.');
    if (user.kind === 'locked')
      return form(
        params,
        "AADSTS50053: Your account is locked because you've tried to sign in too many times with an incorrect user ID or password.",
      );
    if (!equal(params.get('passwd') ?? '', user.password))
      return form(params, 'AADSTS50126: Error validating credentials due to invalid username or password.');
    if (user.kind === 'disabled') return form(params, 'AADSTS50057: The user account is disabled.');
    if (user.kind === 'expired') return form(params, 'AADSTS50055: The password is expired.');
    if (user.kind === 'ca_blocked')
      return redirectError(redirectUri, state, 'access_denied', 53003, 'Access has been blocked by Conditional Access policies.');
    const code = randomBytes(32).toString('base64url');
    codes.set(code, {
      upn,
      name: upn.split('@')[0] ?? upn,
      redirectUri,
      nonce: params.get('nonce'),
      challenge,
      mfa: user.kind === 'mfa' || user.kind === 'mfa_basic_action',
      expires: Date.now() + (config.codeLifetimeMs ?? CODE_TTL_MS),
    });
    const u = new URL(redirectUri);
    u.searchParams.set('code', code);
    if (state !== null) u.searchParams.set('state', state);
    return { status: 302, contentType: 'text/plain', body: '', headers: { location: u.toString() } };
  }

  function tokenError(error: string, code: number, text: string): OidcReply {
    const traceId = randomUUID();
    const correlationId = randomUUID();
    const timestamp = `${new Date().toISOString().slice(0, 19).replace('T', ' ')}Z`;
    return json(400, {
      error,
      error_description: `AADSTS${code}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    });
  }

  function redeem(params: URLSearchParams): OidcReply {
    const code = params.get('code');
    if (!code) return tokenError('invalid_request', 900144, "The request body must contain the following parameter: 'code'.");
    const grant = codes.get(code);
    codes.delete(code); // single use, whatever happens next
    if (!grant || grant.expires < Date.now())
      return tokenError('invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity.');
    if (params.get('redirect_uri') !== grant.redirectUri)
      return tokenError('invalid_grant', 70002, 'The redirect URI does not match the one used to obtain the authorization code.');
    const verifier = params.get('code_verifier');
    if (!verifier) return tokenError('invalid_request', 900144, "The request body must contain the following parameter: 'code_verifier'.");
    if (!equal(createHash('sha256').update(verifier).digest('base64url'), grant.challenge))
      return tokenError(
        'invalid_grant',
        501481,
        'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
      );
    const fault = faults.get(grant.upn) ?? globalFault;
    const now = Math.floor(Date.now() / 1000);
    const iat = fault === 'expired' ? now - 2 * TOKEN_TTL_S : now;
    const oid = uuidFrom(`oid:${grant.upn}`);
    const claims: Record<string, unknown> = {
      aud: fault === 'wrong_audience' ? uuidFrom('another-app') : config.clientId,
      iss: issuer(),
      iat,
      nbf: iat,
      exp: iat + TOKEN_TTL_S,
      ...(grant.mfa && fault !== 'no_mfa' ? { acrs: [config.mfaContext ?? 'c1'] } : {}),
      name: grant.name,
      ...(grant.nonce === null ? {} : { nonce: fault === 'wrong_nonce' ? randomBytes(16).toString('base64url') : grant.nonce }),
      oid,
      preferred_username: grant.upn,
      rh: '0.stand-in.',
      sub: createHash('sha256').update(`sub:${grant.upn}:${config.clientId}`).digest('base64url').slice(0, 43),
      tid: config.tenant,
      uti: randomBytes(16).toString('base64url'),
      ver: '2.0',
    };
    const idToken = signJwt(fault === 'bad_signature' ? stranger : signer, signer.kid, claims);
    return json(200, {
      token_type: 'Bearer',
      scope: 'openid profile email',
      expires_in: TOKEN_TTL_S,
      ext_expires_in: TOKEN_TTL_S,
      access_token: `standin-token.access.${randomBytes(24).toString('base64url')}`,
      id_token: idToken,
    });
  }

  return {
    handle(method, url, body, contentType) {
      let m = CONFIG_PATH.exec(url.pathname);
      if (m) return method === 'GET' ? discovery() : null;
      m = KEYS_PATH.exec(url.pathname);
      if (m) return method === 'GET' ? json(200, { keys: [signer.jwk] }) : null;
      m = AUTH_PATH.exec(url.pathname);
      if (!m) return null;
      const tenant = decodeURIComponent(m[1]!).toLowerCase();
      if (method === 'GET') return authorize('GET', tenant, url.searchParams);
      if (method === 'POST') {
        const isForm = contentType.toLowerCase().startsWith('application/x-www-form-urlencoded');
        return authorize('POST', tenant, isForm && body !== null ? new URLSearchParams(body) : new URLSearchParams());
      }
      return { status: 405, contentType: 'text/plain', body: 'Method Not Allowed' };
    },
    redeem,
    setFault(fault, upn) {
      if (upn === undefined) globalFault = fault;
      else if (fault === null) faults.delete(upn.toLowerCase());
      else faults.set(upn.toLowerCase(), fault);
    },
  };
}

function signJwt(by: Signer, kid: string, claims: Record<string, unknown>): string {
  const head = Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = sign('sha256', Buffer.from(`${head}.${payload}`), by.key).toString('base64url');
  return `${head}.${payload}.${signature}`;
}

function json(status: number, value: unknown): OidcReply {
  return { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(value) };
}

function equal(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

function uuidFrom(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
