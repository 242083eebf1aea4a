/**
 * A local stand-in for the Entra ID v2.0 token endpoint (ROPC grant), for tests and the
 * benchmark. It answers `POST /{tenant}/oauth2/v2.0/token` the way Microsoft documents:
 * tokens for an account without MFA, and otherwise an error body with `error`,
 * `error_description` ("AADSTS50126: … Trace ID: … Correlation ID: … Timestamp: …"),
 * `error_codes`, `timestamp`, `trace_id`, `correlation_id`, `error_uri` and, where Entra sends
 * one, `suberror`. It counts requests and TCP connections (keep-alive is on) and can be made
 * slow, down or throttling. It never records a password. The OpenID Connect sign-in (discovery,
 * JWKS, authorize form, `authorization_code` grant with PKCE) lives in `entra-oidc.ts`.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { createEntraOidc, type EntraOidcFault } from './entra-oidc.js';

export type EntraStandInUserKind = 'mfa' | 'mfa_basic_action' | 'no_mfa' | 'locked' | 'disabled' | 'expired' | 'ca_blocked';

export interface EntraStandInUser {
  password: string;
  kind: EntraStandInUserKind;
}

export interface EntraStandInOptions {
  /** The one tenant it knows (GUID or domain); others get AADSTS90002. */
  tenant?: string;
  /** The one application it knows; others get AADSTS700016. */
  clientId?: string;
  /** When set, the client must send this secret (missing: 7000218, wrong: 7000215). */
  clientSecret?: string;
  /** Delay before every answer, in ms. */
  latencyMs?: number;
  /** Users by UPN (case-insensitive). */
  users?: Record<string, EntraStandInUser>;
  /** Redirect URIs registered for browser sign-in; absent: any loopback http URI. */
  redirectUris?: readonly string[];
  /** How long an authorization code of the sign-in can be redeemed, in ms (default 60 s). */
  codeLifetimeMs?: number;
}

/** One request as recorded: everything but the password and the client secret. */
export interface EntraStandInRecord {
  at: number;
  /** Which TCP connection carried it (1, 2, … in order of accept). */
  connection: number;
  tenant: string;
  clientId?: string;
  username?: string;
  grantType?: string;
  scope?: string;
  clientSecretSent: boolean;
  contentType?: string;
  /** The status it was answered with; 0 while its answer is delayed, or when it got none. */
  status: number;
  aadsts?: number;
}

export interface EntraStandInRequests {
  /** Requests that reached the server (including throttled and "down" ones). */
  readonly count: number;
  /** TCP connections accepted so far. */
  readonly connections: number;
  /** The most recent requests, oldest first (at most 500). */
  readonly last: readonly EntraStandInRecord[];
}

export interface EntraStandIn {
  /** `http://127.0.0.1:<port>`: use it as the authority host. */
  readonly url: string;
  readonly tenant: string;
  readonly clientId: string;
  readonly requests: EntraStandInRequests;
  /** Adds, replaces or (with null) removes a user. */
  setUser(upn: string, user: EntraStandInUser | null): void;
  setLatency(ms: number): void;
  /** Down: answer 503 with an HTML page, or (`'close'`) drop the connection without answering. */
  setDown(down: boolean, mode?: '503' | 'close'): void;
  /** Answers 429 + Retry-After + an AADSTS50196 body for the next `seconds` (0 stops). */
  setThrottle(seconds: number): void;
  /**
   * Makes the next ID tokens of the code flow defective (for one user, or for everyone when
   * `upn` is absent); null clears it.
   */
  setOidcFault(fault: EntraOidcFault | null, upn?: string): void;
  close(): Promise<void>;
}

export const STAND_IN_TENANT = '7d1f2c3b-4a5e-4f60-8172-93a4b5c6d7e8';
export const STAND_IN_CLIENT_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
/** Every fake token starts with this, so a test can look for leaks. */
export const STAND_IN_TOKEN_PREFIX = 'standin-token.';

const MAX_RECORDS = 500;
const MAX_BODY = 64 * 1024;
const PATH = /^\/([^/?]+)\/oauth2\/v2\.0\/token(?:\?.*)?$/;

const MESSAGES: Record<number, string> = {
  50034:
    'The user account {EUII Hidden} does not exist in the directory. To sign into this application, the account must be added to the directory.',
  50053: "Your account is locked because you've tried to sign in too many times with an incorrect user ID or password.",
  50055: 'The password is expired.',
  50057: 'The user account is disabled.',
  50076:
    "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000003-0000-0000-c000-000000000000'.",
  50126: 'Error validating credentials due to invalid username or password.',
  50196: 'The server terminated an operation because it encountered a client request loop. Please contact your app vendor.',
  53003: 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
  70003: 'The app requested an unsupported grant type.',
  700016:
    'Application with the identifier was not found in the directory. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.',
  7000215:
    'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
  7000218: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  90002: 'Tenant not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.',
  900144: "The request body must contain the following parameter: 'grant_type'.",
  9001023:
    "The grant type isn't supported over the /common or /consumers endpoints. Please use the /organizations or tenant-specific endpoint.",
};

interface ErrorSpec {
  status: number;
  error: string;
  code: number;
  suberror?: string;
  extra?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** Starts the stand-in on 127.0.0.1 with an OS-assigned port. */
export async function startEntraStandIn(options: EntraStandInOptions = {}): Promise<EntraStandIn> {
  const tenant = (options.tenant ?? STAND_IN_TENANT).toLowerCase();
  const clientId = options.clientId ?? STAND_IN_CLIENT_ID;
  const users = new Map<string, EntraStandInUser>();
  for (const [upn, user] of Object.entries(options.users ?? {})) users.set(upn.toLowerCase(), { ...user });
  let latencyMs = options.latencyMs ?? 0;
  let down: false | '503' | 'close' = false;
  let throttleUntil = 0;
  const stats = { count: 0, connections: 0, last: [] as EntraStandInRecord[] };
  const socketIds = new WeakMap<Socket, number>();
  const timers = new Set<NodeJS.Timeout>();
  let baseUrl = '';
  const oidc = createEntraOidc({
    baseUrl: () => baseUrl,
    tenant,
    clientId,
    ...(options.redirectUris === undefined ? {} : { redirectUris: options.redirectUris }),
    ...(options.codeLifetimeMs === undefined ? {} : { codeLifetimeMs: options.codeLifetimeMs }),
    findUser: (upn) => users.get(upn.toLowerCase()),
  });

  const server = http.createServer({ keepAlive: true, noDelay: true }, (req, res) => {
    stats.count++;
    const record: EntraStandInRecord = {
      at: Date.now(),
      connection: socketIds.get(req.socket) ?? 0,
      tenant: '',
      clientSecretSent: false,
      status: 0,
    };
    const contentType = req.headers['content-type'];
    if (contentType !== undefined) record.contentType = contentType;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('error', () => undefined);
    req.on('end', () => {
      // Recorded on arrival, so the list is in arrival order even when answers are delayed.
      remember(record);
      const answer = () => {
        if (down === 'close') {
          req.socket.destroy();
          return;
        }
        const reply = respond(req, size > MAX_BODY ? null : Buffer.concat(chunks).toString('utf8'), record);
        record.status = reply.status;
        if (res.destroyed || res.writableEnded) return;
        res.writeHead(reply.status, { 'content-type': reply.contentType, 'cache-control': 'no-store', ...reply.headers });
        res.end(reply.body);
      };
      if (latencyMs > 0) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          answer();
        }, latencyMs);
        timers.add(timer);
      } else {
        answer();
      }
    });
  });
  // Longer than any client's idle timeout, so the client always closes first (no reuse race).
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  server.requestTimeout = 0;
  server.on('connection', (socket: Socket) => {
    stats.connections++;
    socketIds.set(socket, stats.connections);
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  function remember(record: EntraStandInRecord): void {
    stats.last.push(record);
    if (stats.last.length > MAX_RECORDS) stats.last.splice(0, stats.last.length - MAX_RECORDS);
  }

  function respond(
    req: http.IncomingMessage,
    text: string | null,
    record: EntraStandInRecord,
  ): { status: number; contentType: string; body: string; headers?: Record<string, string> } {
    if (down === '503') {
      return {
        status: 503,
        contentType: 'text/html',
        body: '<html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable</h1></body></html>',
      };
    }
    const oidcReply = oidc.handle(req.method ?? 'GET', new URL(req.url ?? '/', 'http://stand-in'), text, req.headers['content-type'] ?? '');
    if (oidcReply) return oidcReply;
    const path = PATH.exec(req.url ?? '');
    record.tenant = path ? decodeURIComponent(path[1]!).toLowerCase() : '';
    if (!path) return { status: 404, contentType: 'text/plain', body: 'Not Found' };
    if (req.method !== 'POST') return { status: 405, contentType: 'text/plain', body: 'Method Not Allowed' };

    const now = Date.now();
    if (throttleUntil > now) {
      const seconds = Math.max(1, Math.ceil((throttleUntil - now) / 1000));
      return error(record, { status: 429, error: 'temporarily_unavailable', code: 50196, headers: { 'retry-after': String(seconds) } });
    }

    const isForm = (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
    const form = isForm && text !== null ? new URLSearchParams(text) : new URLSearchParams();
    const grantType = form.get('grant_type') ?? undefined;
    const requestClient = form.get('client_id') ?? undefined;
    const username = form.get('username') ?? undefined;
    const scope = form.get('scope') ?? undefined;
    const secret = form.get('client_secret');
    if (grantType !== undefined) record.grantType = grantType;
    if (requestClient !== undefined) record.clientId = requestClient;
    if (username !== undefined) record.username = username;
    if (scope !== undefined) record.scope = scope;
    record.clientSecretSent = secret !== null;

    if (!grantType) return error(record, { status: 400, error: 'invalid_request', code: 900144 });
    if (grantType !== 'password' && grantType !== 'authorization_code')
      return error(record, { status: 400, error: 'unsupported_grant_type', code: 70003 });
    if (record.tenant === 'common' || record.tenant === 'consumers') {
      return error(record, { status: 400, error: 'invalid_request', code: 9001023 });
    }
    if (record.tenant !== tenant && record.tenant !== 'organizations') {
      return error(record, { status: 400, error: 'invalid_request', code: 90002 });
    }
    if (requestClient !== clientId) return error(record, { status: 400, error: 'unauthorized_client', code: 700016 });
    if (options.clientSecret !== undefined) {
      if (secret === null) return error(record, { status: 401, error: 'invalid_client', code: 7000218 });
      if (secret !== options.clientSecret) return error(record, { status: 401, error: 'invalid_client', code: 7000215 });
    }

    if (grantType === 'authorization_code') return oidc.redeem(form);
    const user = users.get((username ?? '').toLowerCase());
    if (!user) return error(record, { status: 400, error: 'invalid_grant', code: 50034 });
    // Smart lockout answers before the password is looked at; everything else needs it right.
    if (user.kind === 'locked') return error(record, { status: 400, error: 'invalid_grant', code: 50053 });
    if (form.get('password') !== user.password) return error(record, { status: 400, error: 'invalid_grant', code: 50126 });
    switch (user.kind) {
      case 'mfa':
        return error(record, { status: 400, error: 'interaction_required', code: 50076 });
      case 'mfa_basic_action':
        return error(record, { status: 400, error: 'invalid_grant', code: 50076, suberror: 'basic_action' });
      case 'disabled':
        return error(record, { status: 400, error: 'invalid_grant', code: 50057 });
      case 'expired':
        return error(record, {
          status: 400,
          error: 'invalid_grant',
          code: 50055,
          suberror: 'user_password_expired',
          extra: { password_change_url: 'https://portal.microsoftonline.com/ChangePassword.aspx' },
        });
      case 'ca_blocked':
        return error(record, { status: 400, error: 'invalid_grant', code: 53003, suberror: 'message_only' });
      case 'no_mfa':
        return tokens(scope ?? '');
    }
  }

  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', 1024, () => resolve(server.address() as AddressInfo));
  });

  baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    url: baseUrl,
    tenant,
    clientId,
    requests: {
      get count() {
        return stats.count;
      },
      get connections() {
        return stats.connections;
      },
      get last() {
        return stats.last;
      },
    },
    setUser(upn, user) {
      if (user) users.set(upn.toLowerCase(), { ...user });
      else users.delete(upn.toLowerCase());
    },
    setLatency(ms) {
      latencyMs = Math.max(0, ms);
    },
    setDown(isDown, mode = '503') {
      down = isDown ? mode : false;
    },
    setThrottle(seconds) {
      throttleUntil = seconds > 0 ? Date.now() + seconds * 1000 : 0;
    },
    setOidcFault(fault, upn) {
      oidc.setFault(fault, upn);
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function error(
  record: EntraStandInRecord,
  spec: ErrorSpec,
): { status: number; contentType: string; body: string; headers?: Record<string, string> } {
  record.aadsts = spec.code;
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = entraTimestamp(new Date());
  const body: Record<string, unknown> = {
    error: spec.error,
    error_description: `AADSTS${spec.code}: ${MESSAGES[spec.code] ?? 'Error.'} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [spec.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${spec.code}`,
    ...(spec.suberror === undefined ? {} : { suberror: spec.suberror }),
    ...spec.extra,
  };
  const reply = { status: spec.status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) };
  return spec.headers === undefined ? reply : { ...reply, headers: spec.headers };
}

function tokens(scope: string): { status: number; contentType: string; body: string } {
  const scopes = scope.split(/\s+/).filter(Boolean);
  const fake = (kind: string) => `${STAND_IN_TOKEN_PREFIX}${kind}.${randomBytes(24).toString('base64url')}`;
  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    scope: scopes.filter((s) => s !== 'openid' && s !== 'offline_access' && s !== 'profile').join(' ') || 'User.Read profile openid email',
    expires_in: 4557,
    ext_expires_in: 4557,
    access_token: fake('access'),
  };
  if (scopes.length === 0 || scopes.includes('offline_access')) body.refresh_token = fake('refresh');
  if (scopes.length === 0 || scopes.includes('openid')) body.id_token = fake('id');
  return { status: 200, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) };
}

/** Entra's timestamp format: `2019-04-30 09:46:18Z`. */
function entraTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}
