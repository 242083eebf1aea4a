import { createHmac } from 'node:crypto';
import { secretsEqual } from '@tollgate/security';

/**
 * CSRF tokens bound to what a form acts for: an HMAC (a key derived for this use alone) of the
 * purpose and the cookie it acts with (the session reference, or the form cookie of a link page
 * together with the link). A token from one session, or for another link, does not verify.
 */
export function csrfToken(key: Buffer, purpose: string, boundTo: string): string {
  return createHmac('sha256', key).update(`${purpose}\n${boundTo}`).digest('base64url');
}

export function csrfValid(key: Buffer, purpose: string, boundTo: string | undefined, token: unknown): boolean {
  if (!boundTo || typeof token !== 'string' || token.length === 0 || token.length > 128) return false;
  return secretsEqual(csrfToken(key, purpose, boundTo), token);
}

/**
 * Whether a POST came from one of the portal's own pages, by the browser's own word. The pages send
 * no referrer (`Referrer-Policy: no-referrer`), and then browsers send `Origin: null` on a form POST,
 * so `Sec-Fetch-Site` decides where it is sent; a real `Origin` must be the portal's. A client that
 * sends neither (not a current browser) is left to the CSRF token.
 */
export function sameOriginPost(headers: { origin?: string | undefined; secFetchSite?: string | undefined }, portalOrigin: string): boolean {
  const { origin, secFetchSite } = headers;
  if (origin !== undefined && origin !== 'null' && origin !== portalOrigin) return false;
  if (secFetchSite !== undefined) return secFetchSite === 'same-origin';
  return true;
}
