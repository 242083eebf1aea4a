/**
 * The admin API as a launcher component: `start` listens on ADMIN_BIND:ADMIN_PORT, `stop` stops
 * accepting connections, closes idle keep-alive ones at once and gives requests in progress a
 * bounded time to finish before cutting them off.
 */
import type { Server } from 'node:http';
import { boundPort as portOf, closeHttp, listenHttp, type Component, type ServiceContext } from '@tollgate/runtime';
import { loadDictionaries } from '@tollgate/radius-dictionary';
import { createAdminApp, mountedRoutes, publicRoutesOf, routesOf, type MountedRoute } from './app.js';
import { AuthEventPruner } from './auth-event-pruner.js';
import type { PublicRouteInfo, RouteInfo } from './api-routes.js';
import { authorityPolicy, loadAdminConfig, type AdminConfig } from './admin-config.js';
import { AuthGuard } from './auth-guard.js';
import type { AdminKit } from './admin-kit.js';
import { PortalResponder } from './portal/portal-responder.js';

const STOP_GRACE_MS = 5000;

export interface AdminApiComponent extends Component {
  /** The bound port once started (useful with ADMIN_PORT=0). */
  readonly port: number;
  readonly config: Omit<AdminConfig, 'ADMIN_API_TOKEN' | 'ADMIN_API_TOKEN_SHA256'>;
  /** Every API route with its permission. */
  readonly routes: RouteInfo[];
  /** Routes mounted without credentials (sign-in), as described. */
  readonly publicRoutes: PublicRouteInfo[];
  /** Every method and path the app answers, read from Express's router: what the API description must match. */
  readonly mounted: MountedRoute[];
}

export async function createAdminApiComponent(context: ServiceContext): Promise<AdminApiComponent> {
  const config = loadAdminConfig(context.env);
  const logger = context.logger;
  const authGuard = new AuthGuard({
    maxFailures: config.ADMIN_AUTH_MAX_FAILURES,
    windowMs: config.ADMIN_AUTH_WINDOW_SECONDS * 1000,
    logger,
  });
  const app = createAdminApp({
    db: context.db,
    bus: context.bus,
    state: context.state,
    subjectPrefix: context.subjectPrefix,
    keyring: context.keyring,
    logger,
    apiToken: config.ADMIN_API_TOKEN,
    apiTokenSha256: config.ADMIN_API_TOKEN_SHA256,
    issuer: config.ADMIN_ISSUER,
    metrics: context.metrics,
    authority: authorityPolicy(config),
    syslog: context.syslog,
    authGuard,
    session: {
      idleMinutes: config.ADMIN_SESSION_IDLE_MINUTES,
      maxHours: config.ADMIN_SESSION_MAX_HOURS,
      cookieSecure: config.ADMIN_COOKIE_SECURE,
    },
    // A dictionary that does not load stops start-up, naming its file and line.
    dictionary: loadDictionaries({ directory: config.RADIUS_DICTIONARY_DIR }),
  });
  const pruner = new AuthEventPruner(context.db, logger);
  const kit = app.locals.kit as AdminKit;
  // The enrolment portal's requests over the bus (portal.v1.*): the portal holds no database credentials.
  const portal = new PortalResponder(kit);
  let server: Server | undefined;
  let listening = false;
  const boundPort = () => portOf(server);

  return {
    name: 'admin-api',
    config: {
      ADMIN_PORT: config.ADMIN_PORT,
      ADMIN_BIND: config.ADMIN_BIND,
      ADMIN_ISSUER: config.ADMIN_ISSUER,
      ADMIN_AUTH_MAX_FAILURES: config.ADMIN_AUTH_MAX_FAILURES,
      ADMIN_AUTH_WINDOW_SECONDS: config.ADMIN_AUTH_WINDOW_SECONDS,
      ENTRA_ALLOWED_AUTHORITY_HOSTS: config.ENTRA_ALLOWED_AUTHORITY_HOSTS,
      ENTRA_ALLOW_LOOPBACK_AUTHORITY: config.ENTRA_ALLOW_LOOPBACK_AUTHORITY,
      RADIUS_DICTIONARY_DIR: config.RADIUS_DICTIONARY_DIR,
      ADMIN_SESSION_IDLE_MINUTES: config.ADMIN_SESSION_IDLE_MINUTES,
      ADMIN_SESSION_MAX_HOURS: config.ADMIN_SESSION_MAX_HOURS,
      ADMIN_COOKIE_SECURE: config.ADMIN_COOKIE_SECURE,
    },
    routes: routesOf(app),
    publicRoutes: publicRoutesOf(app),
    mounted: mountedRoutes(app),
    get port(): number {
      return boundPort();
    },
    listening() {
      return { api: { bind: config.ADMIN_BIND, port: boundPort() } };
    },
    async start() {
      if (server) return;
      await portal.start();
      const s = await listenHttp(app, config.ADMIN_PORT, config.ADMIN_BIND);
      server = s;
      listening = true;
      pruner.start();
      logger.info({ bind: config.ADMIN_BIND, port: boundPort() }, 'admin API listening');
    },
    async stop() {
      const s = server;
      if (!s) return;
      listening = false;
      await closeHttp(s, STOP_GRACE_MS, () =>
        logger.warn('admin API: requests still open after the grace period; closing their connections'),
      );
      server = undefined;
      await pruner.stop();
      await portal.stop();
      kit.close();
      authGuard.close();
      logger.info('admin API stopped');
    },
    ready() {
      return listening;
    },
  };
}
