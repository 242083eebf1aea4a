/**
 * Console sessions live in PostgreSQL/PGlite (admin_sessions, by the SHA-256 of their id), so any
 * admin-api replica recognises a session another replica opened, and signing out or disabling an
 * account ends it everywhere. The account's current role is read with the session on each request,
 * and so is whether it has its own TOTP: an admin without one while `requireTotpForAdmins` is on is
 * held back to enrolling it (admin-totp-requirement.ts), and is let through once it has.
 */
import { adminSessions, DEFAULT_ADMIN_SECURITY, settings, type Db } from '@tollgate/store';
import { totpEnrolmentRequired } from './admin-totp-requirement.js';
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
    const account = { role: session.role, hasTotp: session.hasTotp };
    // The setting matters only to an admin without a TOTP, so only such a request reads it.
    const held =
      account.role === 'admin' && !account.hasTotp
        ? totpEnrolmentRequired(account, (await settings.get(db, 'admin-security')) ?? DEFAULT_ADMIN_SECURITY)
        : false;
    return {
      principal: { kind: 'account', name: session.username, role: session.role, ...(held ? { totpEnrolmentRequired: true } : {}) },
      csrfToken: session.csrfToken,
    };
  };
}
