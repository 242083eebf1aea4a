/**
 * The admin API as an Express application: JSON in and out, one bearer token, every write logged
 * and announced on the bus. `createAdminApp` is what the component listens with and what tests
 * mount on their own server.
 */
import express, { type ErrorRequestHandler, type Express } from 'express';
import { Counter, type Registry } from 'prom-client';
import { errorFields } from '@tollgate/logging';
import { ApiError } from './api-error.js';
import { AdminKit, type AdminApiDeps } from './admin-kit.js';
import { createApiRoutes, type ApiRoutes, type PublicRouteInfo, type RouteInfo } from './api-routes.js';
import { principalResolver } from './principal-resolver.js';
import { AuthGuard } from './auth-guard.js';
import { securityHeaders } from './security-headers.js';
import { registerSettingsRoutes } from './settings-routes.js';
import { registerLdapSettingsRoutes } from './ldap-settings-routes.js';
import { registerFallbackCodesRoutes } from './fallback-codes-routes.js';
import { registerPortalSettingsRoutes } from './portal-settings-routes.js';
import { registerEnrollmentLinkRoutes } from './enrollment-link-routes.js';
import { registerRadiusClientRoutes } from './radius-client-routes.js';
import { registerUserRoutes } from './user-routes.js';
import { registerGroupRoutes } from './group-routes.js';
import { registerTotpRoutes } from './totp-routes.js';
import { registerTokenImportRoutes } from './token-import-routes.js';
import { registerAuthEventRoutes } from './auth-event-routes.js';
import { registerRadiusDictionaryRoutes } from './radius-dictionary-routes.js';
import { registerApiTokenRoutes } from './api-token-routes.js';
import { registerAdminAccountRoutes } from './admin-account-routes.js';
import { registerSessionRoutes } from './session-routes.js';
import { registerAdminTotpRoutes } from './admin-totp.js';
import { sessionResolver } from './session-resolver.js';
import { registerLockoutRoutes } from './lockout-routes.js';
import { registerRetentionRoutes } from './retention-routes.js';
import { registerAuditLogRoutes } from './audit-log-routes.js';
import { registerOpenApiRoutes } from './openapi-routes.js';
import { registerAdminSecurityRoutes } from './admin-security-routes.js';
import { registerStatsRoutes } from './stats-routes.js';
import { registerServiceHealthRoutes } from './service-health-routes.js';
import { consoleRoutes } from './console-routes.js';

export type { AdminApiDeps } from './admin-kit.js';

const REQUESTS_METRIC = 'tollgate_admin_requests_total';
/** As ADMIN_AUTH_MAX_FAILURES and ADMIN_AUTH_WINDOW_SECONDS default (admin-config.ts). */
const DEFAULT_AUTH_LIMITS = { maxFailures: 10, windowMs: 60_000 };

export function createAdminApp(deps: AdminApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const requests = deps.metrics ? requestCounter(deps.metrics) : undefined;

  // The console's pages first, with their own headers; /api never reaches them.
  app.use(consoleRoutes(deps.consoleDir));
  app.use(...securityHeaders());
  app.use((_req, res, next) => {
    // Some answers carry a seed shown once; no answer of this API belongs in a cache.
    res.setHeader('Cache-Control', 'no-store');
    res.on('finish', () => {
      requests?.inc({ route: String(res.locals.route ?? 'unmatched'), status: String(res.statusCode) });
    });
    next();
  });

  const guard = deps.authGuard ?? new AuthGuard({ ...DEFAULT_AUTH_LIMITS, logger: deps.logger });
  const sessionLimits = {
    idleMs: (deps.session?.idleMinutes ?? 30) * 60_000,
    maxMs: (deps.session?.maxHours ?? 12) * 3_600_000,
  };
  const routes = createApiRoutes(
    app,
    principalResolver(deps.db, { token: deps.apiToken, sha256: deps.apiTokenSha256 }),
    guard,
    sessionResolver(deps.db, sessionLimits),
  );
  const kit = new AdminKit(deps);
  registerSettingsRoutes(routes, kit);
  registerLdapSettingsRoutes(routes, kit);
  registerFallbackCodesRoutes(routes, kit);
  registerPortalSettingsRoutes(routes, kit);
  registerRadiusClientRoutes(routes, kit);
  registerUserRoutes(routes, kit);
  registerGroupRoutes(routes, kit);
  registerTotpRoutes(routes, kit);
  registerEnrollmentLinkRoutes(routes, kit);
  registerTokenImportRoutes(routes, kit);
  registerAuthEventRoutes(routes, kit);
  registerRadiusDictionaryRoutes(routes, kit);
  registerLockoutRoutes(routes, kit);
  registerRetentionRoutes(routes, kit);
  registerAdminSecurityRoutes(routes, kit);
  registerApiTokenRoutes(routes, kit);
  registerAdminAccountRoutes(routes, kit);
  registerSessionRoutes(app, routes, kit);
  registerAdminTotpRoutes(routes, kit);
  registerAuditLogRoutes(routes, kit);
  registerOpenApiRoutes(routes);
  registerStatsRoutes(routes, kit);
  registerServiceHealthRoutes(routes, kit);
  app.locals.routes = routes;
  app.locals.kit = kit;

  app.use((_req, _res, next) => next(new ApiError(404, 'not_found', 'no such endpoint')));
  app.use(errorHandler(deps));
  return app;
}

/** Every API route of an app made by `createAdminApp`, with its permission (for the route x role test and API descriptions). */
export function routesOf(app: Express): RouteInfo[] {
  return (app.locals.routes as ApiRoutes).list();
}

/** The routes of such an app mounted without credentials (sign-in), as described. */
export function publicRoutesOf(app: Express): PublicRouteInfo[] {
  return (app.locals.routes as ApiRoutes).listPublic();
}

export interface MountedRoute {
  method: string;
  path: string;
}

interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** Every method and path template mounted on the app, from Express's router stack (middleware without a route is skipped). */
export function mountedRoutes(app: Express): MountedRoute[] {
  const stack = (app as unknown as { router: { stack: RouterLayer[] } }).router.stack;
  return stack.flatMap((layer) =>
    layer.route ? Object.keys(layer.route.methods).map((method) => ({ method, path: layer.route!.path })) : [],
  );
}

function requestCounter(registry: Registry): Counter<'route' | 'status'> {
  const existing = registry.getSingleMetric(REQUESTS_METRIC);
  if (existing) return existing as Counter<'route' | 'status'>;
  return new Counter({
    name: REQUESTS_METRIC,
    help: 'Admin API requests by route template and HTTP status.',
    labelNames: ['route', 'status'],
    registers: [registry],
  });
}

interface ParserError {
  type?: string;
  status?: number;
}

/** Turns every failure into the API's error shape; unexpected ones are logged and answered 500. */
function errorHandler(deps: AdminApiDeps): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const apiError = toApiError(error);
    if (apiError.status >= 500) {
      // Name and code only: a database error's message may quote the values the request submitted.
      deps.logger.error({ route: res.locals.route, err: errorFields(error) }, 'admin API request failed');
    }
    res.status(apiError.status).json(apiError.toBody());
  };
}

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const parser = error as ParserError;
  switch (parser?.type) {
    case 'entity.too.large':
      return new ApiError(413, 'payload_too_large', 'the body is too large');
    case 'entity.parse.failed':
      return new ApiError(400, 'invalid_json', 'is not valid JSON', 'body');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError(415, 'unsupported_media_type', 'the body encoding or charset is not supported');
    default:
      if (typeof parser?.status === 'number' && parser.status >= 400 && parser.status < 500) {
        return new ApiError(400, 'bad_request', 'the request could not be read');
      }
      return new ApiError(500, 'internal', 'internal error');
  }
}
