/**
 * How a route of the admin API is mounted: a metrics label from its path template (never the raw
 * URL, which would carry user names), bearer-token authentication before any body is read (a
 * source with too many failures is refused with 429 first), the route's permission checked against
 * the caller's role (403; a route that declares none gets `defaultPermission`), a check that no path or query
 * parameter holds a control character, then the body parser the route needs (JSON up to 64 KB,
 * or CSV up to 1 MB; a route may ask for more with `bodyLimit`) and the handler.
 */
import express, { type Express, type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import { ApiError, badRequest, fromZodError } from './api-error.js';
import { parameterWithControlCharacter } from './request-parameters.js';
import { allowed, defaultPermission, type Permission } from './permissions.js';
import { openDuringTotpEnrolment } from './admin-totp-requirement.js';
import { requestContext, type Principal, type PrincipalResolver, type SessionResolver } from './principal.js';
import { CSRF_HEADER, SESSION_COOKIE, cookieValue, csrfRequired, csrfValid } from './session-rules.js';
import type { AuthGuard } from './auth-guard.js';
import { sourceKey } from './auth-failure-limiter.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type BodyKind = 'json' | 'csv' | 'none';
export type Handler = (req: Request, res: Response) => Promise<void>;

export const JSON_LIMIT = '64kb';
export const CSV_LIMIT = '1mb';
/** Enough for a 50,000-row Azure MFA OATH CSV (about 5 MB) with room to spare; only routes that ask get it. */
export const LARGE_CSV_LIMIT = '16mb';
const CSV_TYPES = ['text/csv', 'application/csv'];

/**
 * What a route says about itself for the API description (openapi-document.ts). The schemas are
 * the ones its handler parses with, so the description cannot say one thing while the route does
 * another; the route-description test refuses a route without a summary, or that takes a JSON body
 * and declares no `request` schema.
 */
export interface RouteDescription {
  /** One line: what the route does. */
  summary?: string;
  /** More words, when a line is not enough (Markdown). */
  description?: string;
  /** The JSON body's schema (what `parseBody` is given). */
  request?: z.ZodType;
  /** The query string's schema (what `parseQuery` is given). */
  query?: z.ZodType;
  /** The status of success: 200 unless said (201 for a creation, 204 for no body). */
  status?: 200 | 201 | 204;
  /** Other answers particular to the route (409, 503...), with what they mean. */
  responses?: Partial<Record<number, string>>;
}

export interface RouteOptions extends RouteDescription {
  body?: BodyKind;
  /** Who may call the route; `defaultPermission(method)` when omitted. */
  permission?: Permission;
  /** The body limit when the route needs more than its kind's default (JSON_LIMIT, CSV_LIMIT). */
  bodyLimit?: string;
}

/** A registered route as the permission test and an API description see it. */
export interface RouteInfo {
  method: Method;
  path: string;
  permission: Permission;
  body: BodyKind;
  doc: RouteDescription;
}

/** A route mounted without credentials (sign-in), described for the API description only. */
export interface PublicRouteInfo {
  method: Method;
  path: string;
  body: BodyKind;
  doc: RouteDescription;
}

export interface ApiRoutes {
  /** `options` may be the body kind alone, as before permissions existed. */
  add(method: Method, path: string, handler: Handler, options?: BodyKind | RouteOptions): void;
  /** Every route added so far, in order. */
  list(): RouteInfo[];
  /** Records the description of a route mounted on the app directly, without credentials. */
  describePublic(method: Method, path: string, body: BodyKind, doc: RouteDescription): void;
  /** The routes recorded with `describePublic`. */
  listPublic(): PublicRouteInfo[];
}

export function createApiRoutes(
  app: Express,
  resolvePrincipal: PrincipalResolver,
  guard: AuthGuard,
  resolveSession?: SessionResolver,
): ApiRoutes {
  const registered: RouteInfo[] = [];
  const publicRoutes: PublicRouteInfo[] = [];
  const parsers: Record<BodyKind, RequestHandler[]> = {
    json: parserFor('json', JSON_LIMIT),
    csv: parserFor('csv', CSV_LIMIT),
    none: [],
  };
  const authenticate: RequestHandler = async (req, res, next) => {
    const source = sourceKey(req.socket.remoteAddress);
    // A source over its limit is refused before its token is looked at: guessing stops there.
    const admission = guard.admit(source);
    if (!admission.allowed) {
      guard.throttled(source);
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil(admission.retryAfterMs / 1000))));
      next(new ApiError(429, 'too_many_requests', 'too many requests without a valid token from this address; retry later'));
      return;
    }
    const sessionId = req.headers.authorization === undefined ? cookieValue(req.headers.cookie, SESSION_COOKIE) : undefined;
    if (sessionId !== undefined && resolveSession) {
      const session = await resolveSession(sessionId);
      if (session) {
        guard.succeeded(source);
        // A cookie rides along on a cross-site request; the synchronizer token does not.
        if (csrfRequired(req.method) && !csrfValid(req.headers[CSRF_HEADER], session.csrfToken)) {
          next(
            new ApiError(403, 'forbidden', 'a change made with a session cookie needs the session CSRF token in the X-CSRF-Token header'),
          );
          return;
        }
        res.locals.principal = session.principal;
        next();
        return;
      }
      guard.failed(source);
      next(new ApiError(401, 'unauthorized', 'the session has ended or is not valid; sign in again'));
      return;
    }
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.headers.authorization ?? '');
    const principal = match ? await resolvePrincipal(match[1]!) : undefined;
    if (principal) {
      guard.succeeded(source);
      res.locals.principal = principal;
      next();
      return;
    }
    guard.failed(source);
    res.setHeader('WWW-Authenticate', 'Bearer realm="tollgate-admin"');
    next(
      new ApiError(
        401,
        'unauthorized',
        match ? 'the bearer token is not valid' : 'a bearer token is required (Authorization: Bearer <token>)',
      ),
    );
  };
  return {
    add(method, path, handler, options = {}) {
      const {
        body = method === 'get' || method === 'delete' ? 'none' : 'json',
        permission = defaultPermission(method),
        bodyLimit,
        ...doc
      } = typeof options === 'string' ? ({ body: options } as RouteOptions) : options;
      registered.push({ method, path, permission, body, doc });
      const label: RequestHandler = (_req, res, next) => {
        res.locals.route = `${method.toUpperCase()} ${path}`;
        next();
      };
      const authorize: RequestHandler = (_req, res, next) => {
        const principal = res.locals.principal as Principal;
        if (principal.totpEnrolmentRequired && !openDuringTotpEnrolment(method, path)) {
          next(
            new ApiError(
              403,
              'totp_enrolment_required',
              'admin accounts must have their own TOTP: enrol it (POST, then PUT /api/v1/session/totp) before anything else',
            ),
          );
          return;
        }
        if (!allowed(principal.role, permission)) {
          next(new ApiError(403, 'forbidden', `the role ${principal.role} may not do this (needs permission ${permission})`));
          return;
        }
        next();
      };
      const run: RequestHandler = (req, res) =>
        requestContext.run({ principal: res.locals.principal as Principal, source: req.socket.remoteAddress ?? '' }, () =>
          handler(req, res),
        );
      app[method](path, label, authenticate, authorize, plainParameters, ...(bodyLimit ? parserFor(body, bodyLimit) : parsers[body]), run);
    },
    list: () => registered.map((route) => ({ ...route })),
    describePublic(method, path, body, doc) {
      publicRoutes.push({ method, path, body, doc });
    },
    listPublic: () => publicRoutes.map((route) => ({ ...route })),
  };
}

/** A control character in a path or query parameter is a 400 naming the parameter, before any handler. */
const plainParameters: RequestHandler = (req, _res, next) => {
  const inPath = parameterWithControlCharacter(req.params);
  const inQuery = inPath === undefined ? parameterWithControlCharacter({ ...req.query }) : undefined;
  const field = inPath ?? inQuery;
  if (field === undefined) {
    next();
    return;
  }
  next(badRequest(field || (inPath !== undefined ? 'path' : 'query'), 'must not contain control characters'));
};

function parserFor(body: BodyKind, limit: string): RequestHandler[] {
  switch (body) {
    case 'json':
      return [requireType(['application/json']), express.json({ limit, strict: true, inflate: false })];
    case 'csv':
      return [requireType(CSV_TYPES), express.text({ type: CSV_TYPES, limit, inflate: false })];
    case 'none':
      return [];
  }
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function requireType(types: string[]): RequestHandler {
  return (req, _res, next) => {
    if (hasBody(req) && !req.is(types)) {
      next(new ApiError(415, 'unsupported_media_type', `the body must be ${types.join(' or ')}`));
      return;
    }
    next();
  };
}

/** Parses the JSON body (an absent body counts as `{}`) or throws a 400 naming the field. */
export function parseBody<S extends z.ZodType>(schema: S, req: Request): z.infer<S> {
  const result = schema.safeParse(req.body ?? {});
  if (!result.success) throw fromZodError(result.error, 'body');
  return result.data;
}

/** Parses the query string or throws a 400 naming the parameter. */
export function parseQuery<S extends z.ZodType>(schema: S, req: Request): z.infer<S> {
  const result = schema.safeParse({ ...req.query });
  if (!result.success) throw fromZodError(result.error, 'query');
  return result.data;
}
