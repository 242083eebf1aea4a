/**
 * Enrolling in the portal: `portal.v1.enrol.start` makes a pending token (never seen by the RADIUS
 * path) and answers its seed once per session; `portal.v1.enrol.confirm` checks the first code
 * against it (one step of drift either way) and activates it in one transaction, with that code's
 * step recorded as used, the link spent and the session ended. Replacing an active token needs a
 * valid code of it, spent like a RADIUS code (its step claimed), and `allowReplace`.
 */
import {
  pendingTotpSeedContext,
  totpSeedContext,
  type PortalEnrolConfirmRequest,
  type PortalEnrolConfirmResponse,
  type PortalEnrolStartRequest,
  type PortalEnrolStartResponse,
  type PortalSessionRequest,
  type PortalSessionResponse,
} from '@tollgate/contracts';
import { enrollmentLinkStatus, enrollmentLinks, pendingTokens, portalSettings, tokens, users } from '@tollgate/store';
import { verifyTotp } from '@tollgate/totp';
import { generateToken } from '../totp-routes.js';
import { DEFAULT_BUDGET_MS, failed, portalAudit, sessionView, type PortalDeps } from './portal-deps.js';

/** Wrong first codes before the session ends. */
export const MAX_WRONG_FIRST_CODES = 5;
/** What the portal's tokens look like: what every authenticator app reads. */
const SHAPE = { digits: 6, period: 30, algorithm: 'SHA1' } as const;

export async function getSession(deps: PortalDeps, request: PortalSessionRequest): Promise<PortalSessionResponse> {
  const session = await deps.sessions.get(request.session, deps.now(), request.timeoutMs ?? DEFAULT_BUDGET_MS);
  if (!session) return failed('session_expired');
  return { outcome: 'ok', view: await sessionView(deps, session) };
}

export async function endSession(deps: PortalDeps, request: PortalSessionRequest): Promise<{ outcome: 'ok' }> {
  const timeoutMs = request.timeoutMs ?? DEFAULT_BUDGET_MS;
  const session = await deps.sessions.get(request.session, deps.now(), timeoutMs);
  if (session) {
    await deps.sessions.end(session.key, timeoutMs);
    await portalAudit(deps, { upn: session.record.upn, source: request.source }, 'portal.sign_out', { method: session.record.method });
  }
  return { outcome: 'ok' };
}

export async function startEnrolment(deps: PortalDeps, request: PortalEnrolStartRequest): Promise<PortalEnrolStartResponse> {
  const { kit } = deps;
  const timeoutMs = request.timeoutMs ?? DEFAULT_BUDGET_MS;
  const source = request.source;
  const session = await deps.sessions.get(request.session, deps.now(), timeoutMs);
  if (!session) return failed('session_expired');
  const upn = session.record.upn;
  const audit = (result: string, outcome = 'failed', extra: Record<string, unknown> = {}) =>
    portalAudit(deps, { upn, source }, 'portal.enrol.start', { method: session.record.method, result, ...extra }, outcome);
  const [portal, user, current] = await Promise.all([portalSettings(kit.db), users.get(kit.db, upn), tokens.get(kit.db, upn)]);
  if (!user?.enabled) {
    await audit('not_enrollable');
    return failed('not_enrollable');
  }
  if (current && !portal.allowReplace) {
    await audit('already_enrolled');
    return failed('already_enrolled');
  }
  // Before the current code: a reload must not spend a code for a seed it will not show.
  if (session.record.seedShown) {
    await audit('seed_already_shown');
    return failed('seed_already_shown');
  }
  if (current) {
    if (request.currentCode === undefined) return failed('current_code_required');
    if (!(await deps.limits.allowed(source, upn, timeoutMs))) {
      await audit('rate_limited');
      return failed('rate_limited');
    }
    const seed = kit.deps.keyring.openText(current.secretSealed, totpSeedContext(upn));
    const result = verifyTotp({ secret: seed, code: request.currentCode, ...current, nowMs: deps.now() });
    // Spent like a code on the RADIUS path: its step (or a later one) can never be used again.
    if (!result.valid || !(await tokens.claimStep(kit.db, upn, result.step))) {
      await deps.limits.failed(source, upn, timeoutMs);
      await audit('current_code_wrong');
      return failed('current_code_wrong');
    }
  }
  const issuer = portal.issuer || kit.deps.issuer;
  const { secret, otpauthUri } = generateToken(issuer, upn, SHAPE);
  await pendingTokens.put(kit.db, {
    upn,
    secretSealed: kit.deps.keyring.seal(secret, pendingTotpSeedContext(upn)),
    ...SHAPE,
    sessionKey: session.key,
    expiresAt: new Date(session.record.expiresAtMs),
  });
  session.record.seedShown = true;
  await deps.sessions.update(session, deps.now(), timeoutMs);
  await audit('seed_shown', 'success', { replacing: current !== null });
  return { outcome: 'ok', otpauthUri, secret, issuer, account: upn, digits: SHAPE.digits, period: SHAPE.period };
}

export async function confirmEnrolment(deps: PortalDeps, request: PortalEnrolConfirmRequest): Promise<PortalEnrolConfirmResponse> {
  const { kit } = deps;
  const timeoutMs = request.timeoutMs ?? DEFAULT_BUDGET_MS;
  const source = request.source;
  const session = await deps.sessions.get(request.session, deps.now(), timeoutMs);
  if (!session) return failed('session_expired');
  const { upn, method, linkId } = session.record;
  const audit = (action: string, result: string, outcome = 'failed', extra: Record<string, unknown> = {}) =>
    portalAudit(deps, { upn, source }, action, { method, result, ...(linkId ? { linkId } : {}), ...extra }, outcome);
  const pending = await pendingTokens.get(kit.db, upn);
  if (!pending || pending.sessionKey !== session.key) {
    await audit('portal.enrol.confirm', 'no_pending_token');
    return failed('session_expired');
  }
  const seed = kit.deps.keyring.openText(pending.secretSealed, pendingTotpSeedContext(upn));
  const result = verifyTotp({ secret: seed, code: request.code, ...pending, nowMs: deps.now() });
  if (!result.valid) {
    session.record.failedCodes += 1;
    if (session.record.failedCodes >= MAX_WRONG_FIRST_CODES) {
      await deps.sessions.end(session.key, timeoutMs);
      await pendingTokens.remove(kit.db, upn);
      await audit('portal.enrol.confirm', 'too_many_wrong_codes', 'failed', { failedCodes: session.record.failedCodes });
      return failed('session_expired');
    }
    await deps.sessions.update(session, deps.now(), timeoutMs);
    await audit('portal.enrol.confirm', 'wrong_code', 'failed', { failedCodes: session.record.failedCodes });
    return failed('wrong_code');
  }
  const activation = await pendingTokens.activate(kit.db, {
    upn,
    sessionKey: session.key,
    secretSealed: kit.deps.keyring.seal(seed, totpSeedContext(upn)),
    lastStep: result.step,
    linkId,
  });
  if (activation.outcome !== 'activated') {
    await deps.sessions.end(session.key, timeoutMs);
    if (activation.outcome === 'link_spent' && linkId) {
      const link = await enrollmentLinks.get(kit.db, linkId);
      const status = link ? enrollmentLinkStatus(link, deps.now()) : 'revoked';
      const reason = status === 'used' ? 'link_used' : status === 'expired' ? 'link_expired' : 'link_revoked';
      await audit('portal.enrol.confirm', reason);
      return failed(reason);
    }
    await audit('portal.enrol.confirm', 'no_pending_token');
    return failed('session_expired');
  }
  await deps.sessions.end(session.key, timeoutMs);
  if (linkId) await audit('portal.link.used', 'ok', 'success');
  await audit('portal.token.activate', 'ok', 'success', { replaced: activation.replaced });
  kit.configChanged({ kind: 'users', key: upn });
  return { outcome: 'activated', upn, replaced: activation.replaced };
}
