/** What every portal step shares: the admin kit (database, keyring, audit), sessions, limits, the clock. */
import type { PortalFailure, PortalSessionView } from '@tollgate/contracts';
import { tokens, users } from '@tollgate/store';
import type { AdminKit } from '../admin-kit.js';
import type { OidcClient } from './oidc-client.js';
import type { PortalRateLimits } from './portal-rate-limits.js';
import type { OpenSession, PortalSessions } from './portal-sessions.js';

/** How long a step may take when the portal does not say. */
export const DEFAULT_BUDGET_MS = 10_000;

export interface PortalDeps {
  kit: AdminKit;
  sessions: PortalSessions;
  limits: PortalRateLimits;
  oidc: OidcClient;
  now: () => number;
}

export const failed = (reason: PortalFailure): { outcome: 'failed'; reason: PortalFailure } => ({ outcome: 'failed', reason });

/**
 * One audit record of a portal step: the admin audit log, a log line and a syslog message, with
 * the user (or `anonymous` before one is known) as the actor of kind `portal`. No secret in `details`.
 */
export function portalAudit(
  deps: PortalDeps,
  who: { upn?: string | undefined; source: string },
  action: string,
  details: Record<string, unknown>,
  outcome = 'success',
): Promise<void> {
  const actor = who.upn ?? 'anonymous';
  return deps.kit.auditAs({ actor, actorKind: 'portal', role: 'user', source: who.source }, action, actor, details, outcome);
}

/** The session as the enrolment pages show it. */
export async function sessionView(deps: PortalDeps, session: OpenSession): Promise<PortalSessionView> {
  const [user, token] = await Promise.all([users.get(deps.kit.db, session.record.upn), tokens.get(deps.kit.db, session.record.upn)]);
  return {
    session: session.ref,
    upn: session.record.upn,
    displayName: user?.displayName ?? '',
    hasActiveToken: token !== null,
    seedShown: session.record.seedShown,
    expiresInSeconds: Math.max(0, Math.floor((session.record.expiresAtMs - deps.now()) / 1000)),
  };
}
