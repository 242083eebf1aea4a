/**
 * The admin API's security headers (helmet). The JSON API is something no browser should render,
 * frame or refer from: `default-src 'none'`, no framing, no referrer, no sniffing, no
 * `X-Powered-By`. The console's pages get a strict policy of their own (`PAGE_CSP`): scripts,
 * styles and API calls from this origin only, images also as data: URLs (the enrolment QR code),
 * no inline script or style, no framing. The API itself speaks plain HTTP, so HSTS is sent only on a request that came
 * over TLS: its own socket, or a TLS proxy in front that says `X-Forwarded-Proto: https` (a
 * browser ignores HSTS received over plain HTTP, so a forged header there changes nothing).
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { RequestHandler } from 'express';
import helmet, { strictTransportSecurity } from 'helmet';

export const HSTS_MAX_AGE_S = 31_536_000;

const API_CSP = { defaultSrc: ["'none'"], frameAncestors: ["'none'"] };

export const PAGE_CSP = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  manifestSrc: ["'self'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** The headers of an API answer (`api`) or of a console page and its assets (`page`). */
export function securityHeaders(kind: 'api' | 'page' = 'api'): RequestHandler[] {
  const hsts = strictTransportSecurity({ maxAge: HSTS_MAX_AGE_S, includeSubDomains: false });
  return [
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: kind === 'api' ? API_CSP : PAGE_CSP },
      xFrameOptions: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: false,
    }),
    (req, res, next) => (overTls(req) ? hsts(req, res, next) : next()),
  ];
}

function overTls(req: IncomingMessage): boolean {
  if ((req.socket as Partial<TLSSocket>).encrypted) return true;
  const forwarded = req.headers['x-forwarded-proto'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
  return first === 'https';
}
