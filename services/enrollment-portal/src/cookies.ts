import type { Request, Response } from 'express';

/**
 * The portal's cookies: the session (the admin API's opaque reference), the sign-in in progress
 * (sealed state, nonce and PKCE verifier) and the form cookie a link page binds its CSRF token to.
 * All HttpOnly, SameSite=Lax (the Microsoft callback is a top-level navigation from another site),
 * Path=/; over https Secure with the `__Host-` prefix (no Domain, so no other host can set them).
 */
export type CookieRole = 'session' | 'signin' | 'form';

const BASE_NAMES: Record<CookieRole, string> = { session: 'tollgate-session', signin: 'tollgate-signin', form: 'tollgate-form' };

export function cookieName(role: CookieRole, https: boolean): string {
  return https ? `__Host-${BASE_NAMES[role]}` : BASE_NAMES[role];
}

/** The cookies of a request (the last one wins when a name repeats); values are not decoded: ours are URL-safe. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    cookies.set(name, value);
  }
  return cookies;
}

export function readCookie(req: Request, role: CookieRole, https: boolean): string | undefined {
  return parseCookies(req.headers.cookie).get(cookieName(role, https)) || undefined;
}

export function setCookieHeader(role: CookieRole, https: boolean, value: string, maxAgeSeconds: number): string {
  const parts = [
    `${cookieName(role, https)}=${value}`,
    'Path=/',
    `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
    'HttpOnly',
    'SameSite=Lax',
  ];
  if (https) parts.push('Secure');
  return parts.join('; ');
}

export function setCookie(res: Response, role: CookieRole, https: boolean, value: string, maxAgeSeconds: number): void {
  res.append('Set-Cookie', setCookieHeader(role, https, value, maxAgeSeconds));
}

export function clearCookie(res: Response, role: CookieRole, https: boolean): void {
  res.append('Set-Cookie', setCookieHeader(role, https, '', 0));
}
