/**
 * The Microsoft sign-in of the enrolment portal, on the admin API's side: the authorization code
 * is redeemed at the tenant's token endpoint (one undici keep-alive Pool per origin, so no
 * connection set-up per sign-in), and the ID token is checked with jose against the tenant's JWKS
 * (from the discovery document, both cached): RS256, issuer, audience, expiry with a small clock
 * tolerance, nonce (constant time), tenant, then MFA by the `acrs` claim. No token is ever logged
 * or kept: only the user name and display name leave this module.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { TollgateError } from '@tollgate/contracts';
import type { Readable } from 'node:stream';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { Pool } from 'undici';

/** Seconds of clock difference allowed on exp, nbf and iat. */
export const CLOCK_TOLERANCE_SECONDS = 120;
const MAX_BODY_BYTES = 256 * 1024;
const KEEP_ALIVE_MS = 30_000;

export interface OidcTarget {
  /** `https://login.microsoftonline.com` (checked against the authority policy by the caller). */
  origin: string;
  tenant: string;
  clientId: string;
  clientSecret?: string | undefined;
}

export interface OidcSignIn {
  code: string;
  codeVerifier: string;
  redirectUri: string;
  nonce: string;
  mfaContext: string;
}

export type OidcResult =
  | { outcome: 'ok'; username: string; displayName: string }
  | { outcome: 'mfa_not_performed'; username: string }
  /** The code did not redeem, or a check of the ID token failed; `check` names which (for the log). */
  | { outcome: 'invalid'; check: string }
  | { outcome: 'unavailable'; check: string };

/** Entra's endpoints did not answer as they must: the message is the check that failed (no secret). */
class Unavailable extends TollgateError<'unavailable'> {
  constructor(check: string) {
    super('unavailable', check);
  }
}

export class OidcClient {
  readonly #pools = new Map<string, Pool>();
  readonly #jwks = new Map<string, { uri: string; set: ReturnType<typeof createRemoteJWKSet> }>();

  async signIn(target: OidcTarget, request: OidcSignIn, timeoutMs: number): Promise<OidcResult> {
    const deadline = Date.now() + timeoutMs;
    const left = () => Math.max(1, deadline - Date.now());
    const issuer = `${target.origin}/${target.tenant}/v2.0`;
    let idToken: string;
    try {
      const redeemed = await this.#redeem(target, request, left());
      if (redeemed.kind === 'refused') return { outcome: 'invalid', check: `token_endpoint:${redeemed.error}` };
      idToken = redeemed.idToken;
    } catch (error) {
      return { outcome: 'unavailable', check: error instanceof Unavailable ? error.message : 'token_endpoint' };
    }
    let claims: JWTPayload;
    try {
      const jwks = await this.#jwksFor(target, issuer, left());
      ({ payload: claims } = await jwtVerify(idToken, jwks, {
        algorithms: ['RS256'],
        issuer,
        audience: target.clientId,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'iat', 'nonce', 'tid'],
      }));
    } catch (error) {
      if (error instanceof Unavailable) return { outcome: 'unavailable', check: error.message };
      if (error instanceof joseErrors.JWKSTimeout) return { outcome: 'unavailable', check: 'jwks_timeout' };
      if (error instanceof TypeError) return { outcome: 'unavailable', check: 'jwks_fetch' };
      return { outcome: 'invalid', check: error instanceof joseErrors.JOSEError ? error.code : 'id_token' };
    }
    // jose checks exp and nbf; an ID token issued in the future (beyond the tolerance) is refused here.
    if (typeof claims.iat !== 'number' || claims.iat > Date.now() / 1000 + CLOCK_TOLERANCE_SECONDS)
      return { outcome: 'invalid', check: 'iat' };
    if (!equalSecret(String(claims.nonce), request.nonce)) return { outcome: 'invalid', check: 'nonce' };
    if (claims.tid !== target.tenant) return { outcome: 'invalid', check: 'tid' };
    const username = claims.preferred_username;
    if (typeof username !== 'string' || username === '') return { outcome: 'invalid', check: 'preferred_username' };
    const acrs = Array.isArray(claims.acrs) ? claims.acrs : [];
    if (!acrs.includes(request.mfaContext)) return { outcome: 'mfa_not_performed', username };
    return { outcome: 'ok', username, displayName: typeof claims.name === 'string' ? claims.name : '' };
  }

  async close(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    this.#jwks.clear();
    await Promise.allSettled(pools.map((pool) => pool.close()));
  }

  async #redeem(
    target: OidcTarget,
    request: OidcSignIn,
    timeoutMs: number,
  ): Promise<{ kind: 'ok'; idToken: string } | { kind: 'refused'; error: string }> {
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: target.clientId,
      code: request.code,
      redirect_uri: request.redirectUri,
      code_verifier: request.codeVerifier,
      scope: 'openid profile',
    });
    if (target.clientSecret !== undefined) form.set('client_secret', target.clientSecret);
    const { status, body } = await this.#call(
      target.origin,
      `/${encodeURIComponent(target.tenant)}/oauth2/v2.0/token`,
      'POST',
      timeoutMs,
      form,
    );
    if (status >= 500 || status === 429) throw new Unavailable(`token_endpoint_http_${status}`);
    const parsed = parseJson(body);
    if (status !== 200) return { kind: 'refused', error: typeof parsed?.error === 'string' ? parsed.error : `http_${status}` };
    const idToken = parsed?.id_token;
    if (typeof idToken !== 'string') return { kind: 'refused', error: 'no_id_token' };
    return { kind: 'ok', idToken };
  }

  async #jwksFor(target: OidcTarget, issuer: string, timeoutMs: number) {
    const cached = this.#jwks.get(issuer);
    if (cached) return cached.set;
    const { status, body } = await this.#call(
      target.origin,
      `/${encodeURIComponent(target.tenant)}/v2.0/.well-known/openid-configuration`,
      'GET',
      timeoutMs,
    );
    if (status !== 200) throw new Unavailable(`discovery_http_${status}`);
    const uri = parseJson(body)?.jwks_uri;
    if (typeof uri !== 'string') throw new Unavailable('discovery_no_jwks_uri');
    const jwksUrl = new URL(uri);
    if (jwksUrl.origin !== target.origin) throw new Unavailable('discovery_jwks_elsewhere');
    const set = createRemoteJWKSet(jwksUrl, {
      timeoutDuration: Math.min(timeoutMs, 5000),
      cooldownDuration: 30_000,
      cacheMaxAge: 3_600_000,
    });
    this.#jwks.set(issuer, { uri, set });
    return set;
  }

  async #call(origin: string, path: string, method: 'GET' | 'POST', timeoutMs: number, form?: URLSearchParams) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await this.#pool(origin).request({
        path,
        method,
        headers: {
          accept: 'application/json',
          'user-agent': 'tollgate-admin-api/1.0',
          ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        ...(form ? { body: form.toString() } : {}),
        signal: controller.signal,
      });
      return { status: response.statusCode, body: await readCapped(response.body) };
    } catch (error) {
      throw new Unavailable(controller.signal.aborted ? 'timeout' : `network:${String((error as { code?: unknown }).code ?? 'error')}`);
    } finally {
      clearTimeout(timer);
    }
  }

  #pool(origin: string): Pool {
    let pool = this.#pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, { connections: 4, pipelining: 1, keepAliveTimeout: KEEP_ALIVE_MS, keepAliveMaxTimeout: 120_000 });
      this.#pools.set(origin, pool);
    }
    return pool;
  }
}

/** Equal strings, compared in constant time (over digests, so lengths do not show either). */
export function equalSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function readCapped(body: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        body.destroy();
        reject(new Unavailable('body_too_large'));
        return;
      }
      chunks.push(chunk);
    });
    body.once('end', () => resolve(Buffer.concat(chunks, size).toString('utf8')));
    body.once('error', reject);
  });
}
