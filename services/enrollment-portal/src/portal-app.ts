import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { errorFields } from '@tollgate/logging';
import { PortalUnavailable } from './portal-client.js';
import { landingPage } from './pages.js';
import { locals, sendFailure, sendPage, sourceOf, type PortalDeps } from './portal-context.js';
import { securityHeaders } from './security-headers.js';
import { signInRoutes } from './signin-routes.js';
import { linkRoutes } from './link-routes.js';
import { enrolRoutes } from './enrol-routes.js';
import { STYLESHEET } from './stylesheet.js';
import { parseLogo } from './logo.js';
import type { AddressRateLimit } from './rate-limit.js';

export interface PortalAppOptions {
  deps: PortalDeps;
  trustProxy: boolean;
  rateLimit: AddressRateLimit;
}

/** The portal's pages: server-rendered HTML forms, no script; one stylesheet and the logo. */
export function createPortalApp(options: PortalAppOptions): Express {
  const { deps } = options;
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  // Only the one proxy in front (the ingress): the address it saw, not whatever the client claims before it.
  app.set('trust proxy', options.trustProxy ? 1 : false);

  const settingsFirst: RequestHandler = async (_req, res, next) => {
    const started = process.hrtime.bigint();
    const l = locals(res);
    l.route = 'other';
    l.outcome = 'error';
    res.on('finish', () => deps.metrics.handled(l.route, l.outcome, Number(process.hrtime.bigint() - started) / 1e9));
    try {
      l.settings = await deps.client.settings();
    } catch (error) {
      l.settings = undefined;
      if (!(error instanceof PortalUnavailable)) deps.logger.warn({ err: errorFields(error) }, 'portal settings could not be read');
    }
    next();
  };
  app.use(settingsFirst);
  // The headers depend on this request's settings: the authorize endpoint's origin, https or not.
  app.use(
    securityHeaders((res) => {
      const settings = locals(res).settings;
      return {
        authorizeOrigin: settings?.oidc.enabled ? new URL(settings.oidc.authorizeEndpoint).origin : undefined,
        https: settings?.publicUrl.startsWith('https:') ?? false,
      };
    }),
  );

  app.get('/style.css', (_req, res) => {
    const l = locals(res);
    l.route = 'asset';
    l.outcome = 'ok';
    // The stylesheet holds nothing personal: it may be cached, unlike the pages.
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.type('text/css').send(STYLESHEET);
  });
  app.get('/logo', (_req, res) => {
    const l = locals(res);
    l.route = 'asset';
    const logo = parseLogo(l.settings?.logo ?? null);
    if (!logo) return sendFailure(res, 'not_found');
    l.outcome = 'ok';
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type(logo.contentType).send(logo.body);
  });

  // The first, cheap gate per address; the admin API enforces the real limits per user and address.
  app.use((req, res, next) => {
    if (options.rateLimit.allow(sourceOf(req))) return next();
    res.setHeader('Retry-After', '60');
    sendFailure(res, 'busy');
  });
  app.use(express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 20 }));

  app.get('/', (_req, res) => {
    const l = locals(res);
    l.route = 'landing';
    if (!l.settings) return sendFailure(res, 'unavailable');
    sendPage(res, 200, 'Set up your VPN authenticator', landingPage({ oidc: l.settings.oidc.enabled, links: l.settings.links.enabled }));
  });
  const router = express.Router();
  signInRoutes(router, deps);
  linkRoutes(router, deps);
  enrolRoutes(router, deps);
  app.use(router);

  app.use((_req, res) => sendFailure(res, 'not_found'));
  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    if (res.headersSent) return;
    if (error instanceof PortalUnavailable) {
      deps.logger.warn({ route: locals(res).route, cause: error.why }, 'the admin API did not answer');
      return sendFailure(res, 'unavailable');
    }
    const status = (error as { status?: number }).status;
    // A body too large or not form-encoded: the client's mistake, said without echoing it.
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendFailure(res, 'bad_request');
    }
    deps.logger.error({ route: locals(res).route, err: errorFields(error) }, 'portal page failed');
    sendFailure(res, 'unavailable');
  };
  app.use(onError);
  return app;
}
