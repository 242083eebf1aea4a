import type { Request, Response } from 'express';
import type { PortalSettingsResponse } from '@tollgate/contracts';
import type { Logger } from '@tollgate/logging';
import type { PortalClient } from './portal-client.js';
import type { PortalKeys } from './portal-keys.js';
import type { PortalMetrics, PortalRoute } from './metrics.js';
import { FAILURE_MESSAGES, type PortalProblem } from './failure-messages.js';
import { failurePage, layout, type Chrome } from './pages.js';
import type { Html } from './html.js';
import { csrfValid, sameOriginPost } from './csrf.js';

/** What every route handler has: the admin API client, the portal's keys, metrics and logger. */
export interface PortalDeps {
  client: PortalClient;
  keys: PortalKeys;
  metrics: PortalMetrics;
  logger: Logger;
}

/** Set by the first middleware: the settings (undefined while the admin API does not answer). */
export interface PortalLocals {
  settings: PortalSettingsResponse | undefined;
  route: PortalRoute;
  outcome: string;
}

export function locals(res: Response): PortalLocals {
  return res.locals as PortalLocals;
}

export function isHttps(res: Response): boolean {
  return locals(res).settings?.publicUrl.startsWith('https:') ?? false;
}

export function chromeOf(settings: PortalSettingsResponse | undefined): Chrome | undefined {
  return settings ? { organisationName: settings.organisationName, hasLogo: settings.logo !== null } : undefined;
}

export function sendPage(res: Response, status: number, title: string, body: Html, outcome = 'ok'): void {
  locals(res).outcome = outcome;
  res
    .status(status)
    .type('html')
    .send(layout(chromeOf(locals(res).settings), title, body));
}

export function sendFailure(res: Response, problem: PortalProblem): void {
  const failure = FAILURE_MESSAGES[problem];
  sendPage(res, failure.status, failure.title, failurePage(failure), problem);
}

/** The browser's address: the socket's, or with PORTAL_TRUST_PROXY the one the ingress saw (Express's `trust proxy`). */
export function sourceOf(req: Request): string {
  const ip = (req.ip ?? req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
  return ip.slice(0, 64) || 'unknown';
}

/** A POST's CSRF token (bound to `boundTo` for `purpose`) and its origin; false answers the 403 page. */
export function postAllowed(req: Request, res: Response, deps: PortalDeps, purpose: string, boundTo: string | undefined): boolean {
  const settings = locals(res).settings;
  const origin = settings ? new URL(settings.publicUrl).origin : undefined;
  const headerOf = (name: string) => {
    const v = req.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const sameOrigin =
    origin !== undefined && sameOriginPost({ origin: headerOf('origin'), secFetchSite: headerOf('sec-fetch-site') }, origin);
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (sameOrigin && csrfValid(deps.keys.csrf, purpose, boundTo, body.csrf)) return true;
  sendFailure(res, 'csrf');
  return false;
}

/** A form field as a string ('' when absent or not a single string). */
export function field(req: Request, name: string): string {
  const value = ((req.body ?? {}) as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}
