/**
 * The admin API's security headers (helmet), set for a JSON API that no browser should render,
 * frame or refer from: `default-src 'none'`, no framing, no referrer, no sniffing, no
 * `X-Powered-By`. The API itself speaks plain HTTP, so HSTS is sent only on a request that came
 * over TLS: its own socket, or a TLS proxy in front that says `X-Forwarded-Proto: https` (a
 * browser ignores HSTS received over plain HTTP, so a forged header there changes nothing).
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { RequestHandler } from 'express';
import helmet, { strictTransportSecurity } from 'helmet';

export const HSTS_MAX_AGE_S = 31_536_000;

export function securityHeaders(): RequestHandler[] {
  const hsts = strictTransportSecurity({ maxAge: HSTS_MAX_AGE_S, includeSubDomains: false });
  return [
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
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
