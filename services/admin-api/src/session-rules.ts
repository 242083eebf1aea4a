/**
 * The pure rules of console sessions: the cookie (name, attributes), when a session has expired
 * (idle longer than the idle timeout, or older than the absolute one) and the CSRF check (a
 * cookie-authenticated request that changes anything must carry the session's synchronizer token
 * in `X-CSRF-Token`, compared in constant time; bearer requests need none).
 */
import { createHash } from 'node:crypto';
import { secretsEqual } from '@tollgate/security';

export const SESSION_COOKIE = 'tg_session';
export const CSRF_HEADER = 'x-csrf-token';

export interface SessionLimits {
  idleMs: number;
  maxMs: number;
}

export type SessionState = 'valid' | 'idle' | 'expired';

export function sessionState(session: { createdAt: Date; lastSeenAt: Date }, now: Date, limits: SessionLimits): SessionState {
  if (now.getTime() - session.createdAt.getTime() >= limits.maxMs) return 'expired';
  if (now.getTime() - session.lastSeenAt.getTime() >= limits.idleMs) return 'idle';
  return 'valid';
}

export const sessionIdSha256 = (id: string): string => createHash('sha256').update(id, 'utf8').digest('hex');

/** Only reads need no CSRF token. */
export function csrfRequired(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}

export function csrfValid(presented: string | string[] | undefined, expected: string): boolean {
  return typeof presented === 'string' && presented.length > 0 && secretsEqual(presented, expected);
}

/** The value of one cookie from a Cookie header; undefined when absent. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function sessionCookie(id: string, options: { secure: boolean; maxAgeSeconds: number }): string {
  return [
    `${SESSION_COOKIE}=${id}`,
    'Path=/api/v1',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${options.maxAgeSeconds}`,
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearedSessionCookie(secure: boolean): string {
  return [`${SESSION_COOKIE}=`, 'Path=/api/v1', 'HttpOnly', 'SameSite=Strict', 'Max-Age=0', ...(secure ? ['Secure'] : [])].join('; ');
}
