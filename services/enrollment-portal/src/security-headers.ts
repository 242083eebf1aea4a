import type { RequestHandler, Response } from 'express';

export const HSTS_MAX_AGE_S = 31_536_000;

/**
 * The portal's pages have no script at all: only its own stylesheet, images from itself or data:
 * URLs, forms posted to itself or to the Microsoft authorize endpoint, never framed, no base, no
 * referrer (a link's token is in its path). Nothing is cached. HSTS when the portal is reached
 * over https (its public URL says so).
 */
export function portalCsp(authorizeOrigin: string | undefined): string {
  const formAction = ["'self'", ...(authorizeOrigin ? [authorizeOrigin] : [])].join(' ');
  return [
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self' data:",
    `form-action ${formAction}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export function securityHeaders(current: (res: Response) => { authorizeOrigin: string | undefined; https: boolean }): RequestHandler {
  return (_req, res, next) => {
    const { authorizeOrigin, https } = current(res);
    res.setHeader('Content-Security-Policy', portalCsp(authorizeOrigin));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'no-store');
    if (https) res.setHeader('Strict-Transport-Security', `max-age=${HSTS_MAX_AGE_S}`);
    next();
  };
}
