/**
 * `/api/v1/session`: console sign-in. `POST {username, password}` checks the password (an unknown
 * account hashes a dummy, so the answer and its timing are the same as for a wrong password), is
 * limited per account and per source (429 with Retry-After, per process), and on success sets the
 * session cookie (HttpOnly, SameSite=Strict, Secure over HTTPS or with ADMIN_COOKIE_SECURE) and
 * answers who, the role, the permissions it holds (what the console offers) and the session's CSRF token. An account with its own TOTP must also send
 * `code` (its current code, usable once). `GET` answers the same for the current
 * caller (a token has no CSRF token), `DELETE` signs out. Both answers say whether the account must
 * enrol its own TOTP before anything else (`requireTotpForAdmins`, admin-totp-requirement.ts).
 */
import type { Express, Request, RequestHandler, Response } from 'express';
import express from 'express';
import { z } from 'zod';
import { randomToken } from '@tollgate/security';
import { adminAccounts, adminSessions, DEFAULT_ADMIN_SECURITY, settings } from '@tollgate/store';
import { ApiError } from './api-error.js';
import type { AdminKit } from './admin-kit.js';
import { JSON_LIMIT, parseBody, type ApiRoutes } from './api-routes.js';
import { AuthFailureLimiter, sourceKey } from './auth-failure-limiter.js';
import { DUMMY_HASH, verifyPassword } from './password-hash.js';
import { adminCodeValid } from './admin-totp.js';
import { isRole, permissionsOf } from './permissions.js';
import { totpEnrolmentRequired } from './admin-totp-requirement.js';
import { requestContext } from './principal.js';
import { clearedSessionCookie, cookieValue, SESSION_COOKIE, sessionCookie, sessionIdSha256 } from './session-rules.js';

/** Failed sign-ins per account, and per source, within the window before 429. */
export const SIGN_IN_LIMITS = { perAccount: 5, perSource: 20, windowMs: 15 * 60_000 };

const SignInInput = z.strictObject({
  username: z.string().max(64, 'must be at most 64 characters'),
  password: z.string().max(1024, 'must be at most 1024 characters'),
  code: z.string().max(16, 'must be at most 16 characters').optional(),
});

const secureRequest = (req: Request, kit: AdminKit): boolean => req.secure || (kit.deps.session?.cookieSecure ?? false);

function tooMany(res: Response, retryAfterMs: number): ApiError {
  res.setHeader('Retry-After', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
  return new ApiError(429, 'too_many_requests', 'too many failed sign-ins; retry later');
}

export function registerSessionRoutes(app: Express, routes: ApiRoutes, kit: AdminKit): void {
  const accounts = new AuthFailureLimiter({ maxFailures: SIGN_IN_LIMITS.perAccount, windowMs: SIGN_IN_LIMITS.windowMs });
  const sources = new AuthFailureLimiter({ maxFailures: SIGN_IN_LIMITS.perSource, windowMs: SIGN_IN_LIMITS.windowMs });
  const maxAgeSeconds = (kit.deps.session?.maxHours ?? 12) * 3600;

  const signIn: RequestHandler = async (req, res) => {
    res.locals.route = 'POST /api/v1/session';
    const source = sourceKey(req.socket.remoteAddress);
    const input = parseBody(SignInInput, req);
    const username = input.username.trim().toLowerCase();
    for (const admission of [sources.admit(source), accounts.admit(username)]) {
      if (!admission.allowed) throw tooMany(res, admission.retryAfterMs);
    }
    const account = await adminAccounts.get(kit.db, username);
    const matches = await verifyPassword(input.password, account?.passwordHash ?? DUMMY_HASH);
    if (!account || !matches || account.disabled || !isRole(account.role)) {
      sources.fail(source);
      accounts.fail(username);
      kit.deps.logger.info({ source, outcome: 'failed' }, 'console sign-in failed');
      throw new ApiError(401, 'unauthorized', 'the user name or password is not right, or the account is disabled');
    }
    if (account.totpSeedSealed) {
      // The password was right; the account's own code is asked for, and works once.
      const step = input.code === undefined ? false : await adminCodeValid(kit, account, input.code);
      if (step === false || !(await adminAccounts.claimTotpStep(kit.db, username, step))) {
        sources.fail(source);
        accounts.fail(username);
        throw new ApiError(
          401,
          'unauthorized',
          input.code === undefined ? 'this account needs its TOTP code' : 'the code is not right or was used already',
          'code',
        );
      }
    }
    accounts.succeed(username);
    const sessionId = randomToken(32);
    const csrfToken = randomToken(32);
    await adminSessions.create(kit.db, { idSha256: sessionIdSha256(sessionId), username, csrfToken });
    await adminAccounts.signedIn(kit.db, username);
    await requestContext.run(
      { principal: { kind: 'account', name: username, role: account.role }, source: req.socket.remoteAddress ?? '' },
      () => kit.audit('session.create', username),
    );
    const setting = (await settings.get(kit.db, 'admin-security')) ?? DEFAULT_ADMIN_SECURITY;
    const held = totpEnrolmentRequired({ role: account.role, hasTotp: account.totpSeedSealed !== null }, setting);
    res.setHeader('Set-Cookie', sessionCookie(sessionId, { secure: secureRequest(req, kit), maxAgeSeconds }));
    res
      .status(201)
      .json({ username, role: account.role, permissions: permissionsOf(account.role), csrfToken, totpEnrolmentRequired: held });
  };
  app.post('/api/v1/session', express.json({ limit: JSON_LIMIT, strict: true, inflate: false }), signIn);
  routes.describePublic('post', '/api/v1/session', 'json', {
    summary: 'Sign in to the console: sets the session cookie and answers the CSRF token',
    description:
      'No credentials needed. An account with its own TOTP also sends `code`. Limited per account and per source (429). ' +
      '`totpEnrolmentRequired: true` in the answer: the admin account must enrol its own TOTP before anything else.',
    request: SignInInput,
    status: 201,
    responses: {
      401: 'Wrong user name or password, disabled account, or a TOTP code needed or wrong (`field: code`)',
      429: 'Too many failed sign-ins; `Retry-After`',
    },
  });

  routes.add(
    'get',
    '/api/v1/session',
    async (req, res) => {
      const context = requestContext.getStore()!;
      const session = context.principal.kind === 'account' ? await currentSession(req) : undefined;
      res.json({
        username: context.principal.name,
        kind: context.principal.kind,
        role: context.principal.role,
        permissions: permissionsOf(context.principal.role),
        csrfToken: session?.csrfToken ?? null,
        totpEnrolmentRequired: context.principal.totpEnrolmentRequired === true,
      });
    },
    { permission: 'self', summary: 'Who the caller is: name, kind (account or token), role and the session CSRF token' },
  );

  routes.add(
    'delete',
    '/api/v1/session',
    async (req, res) => {
      const context = requestContext.getStore()!;
      const id = cookieValue(req.headers.cookie, SESSION_COOKIE);
      if (context.principal.kind === 'account' && id !== undefined) {
        await adminSessions.remove(kit.db, sessionIdSha256(id));
        await kit.audit('session.delete', context.principal.name);
      }
      res.setHeader('Set-Cookie', clearedSessionCookie(secureRequest(req, kit)));
      res.status(204).end();
    },
    { permission: 'self', summary: 'Sign out: ends the session and clears the cookie', status: 204 },
  );

  async function currentSession(req: Request) {
    const id = cookieValue(req.headers.cookie, SESSION_COOKIE);
    return id === undefined ? null : adminSessions.get(kit.db, sessionIdSha256(id));
  }
}
