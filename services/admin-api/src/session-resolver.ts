/**
 * Console sessions live in PostgreSQL/PGlite (admin_sessions, by the SHA-256 of their id), so any
 * admin-api replica recognises a session another replica opened, and signing out or disabling an
 * account ends it everywhere. The account's current role is read with the session on each request.
 */
import { adminSessions, type Db } from '@tollgate/store';
import { isRole } from './permissions.js';
import type { SessionResolver } from './principal.js';
import { type SessionLimits, sessionIdSha256, sessionState } from './session-rules.js';

/** Last use is written at most this often per session: not one write per request. */
const TOUCH_EVERY_MS = 60_000;

export function sessionResolver(db: Db, limits: SessionLimits, now: () => Date = () => new Date()): SessionResolver {
  return async (sessionId) => {
    if (!/^[A-Za-z0-9_-]{43,128}$/.test(sessionId)) return undefined;
    const idSha256 = sessionIdSha256(sessionId);
    const session = await adminSessions.get(db, idSha256);
    if (!session || !isRole(session.role)) return undefined;
    const at = now();
    if (sessionState(session, at, limits) !== 'valid') {
      await adminSessions.remove(db, idSha256);
      return undefined;
    }
    if (at.getTime() - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) await adminSessions.touch(db, idSha256);
    return { principal: { kind: 'account', name: session.username, role: session.role }, csrfToken: session.csrfToken };
  };
}
