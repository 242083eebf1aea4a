/**
 * The portal's ways in: `portal.v1.signin.oidc` (a Microsoft sign-in whose ID token proves MFA),
 * `portal.v1.link.check` and `portal.v1.signin.link` (an enrolment link and the Entra password,
 * proven with ROPC through the entra-verifier). Each failure is counted against the source address
 * (and the user, once known) and audited; a session opens only when every check held.
 */
import {
  BusError,
  EntraVerifyResponse,
  PORTAL_CLIENT_SECRET_CONTEXT,
  subject,
  type EntraOutcome,
  type PortalLinkCheckRequest,
  type PortalLinkCheckResponse,
  type PortalLinkSignInRequest,
  type PortalOidcSignInRequest,
  type PortalFailure,
  type PortalSignInResponse,
  STRICT_AUTHORITY_POLICY,
} from '@tollgate/contracts';
import { errorFields } from '@tollgate/logging';
import { enrollmentLinkStatus, enrollmentLinks, portalSettings, settings, users, type EnrollmentLink } from '@tollgate/store';
import { canonicalUpn } from '../canonical-upn.js';
import { linkTokenHash } from './link-token.js';
import { oidcUsable, portalAuthority } from './portal-settings-response.js';
import { DEFAULT_BUDGET_MS, failed, portalAudit, sessionView, type PortalDeps } from './portal-deps.js';

/** Answers of ROPC that prove the password: Entra wanted MFA (password right), or issued a token. */
const PASSWORD_PROVEN: ReadonlySet<EntraOutcome> = new Set(['password_ok_mfa', 'no_mfa']);
/** Answers that say the password is wrong or the account cannot sign in. */
const PASSWORD_REFUSED: ReadonlySet<EntraOutcome> = new Set(['invalid_credentials', 'locked', 'disabled', 'password_expired', 'blocked']);
/** Time kept back from the entra-verifier's budget for its answer to travel. */
const ANSWER_MARGIN_MS = 100;

export async function signInOidc(deps: PortalDeps, request: PortalOidcSignInRequest): Promise<PortalSignInResponse> {
  const { kit } = deps;
  const timeoutMs = request.timeoutMs ?? DEFAULT_BUDGET_MS;
  const source = request.source;
  const [portal, entra] = await Promise.all([portalSettings(kit.db), settings.get(kit.db, 'entra')]);
  const policy = kit.deps.authority ?? STRICT_AUTHORITY_POLICY;
  const authority = portalAuthority(entra, policy);
  if (!oidcUsable(portal, entra, policy) || !authority) return failed('disabled');
  const audit = (upn: string | undefined, reason: string, outcome = 'failed', extra: Record<string, unknown> = {}) =>
    portalAudit(deps, { upn, source }, 'portal.sign_in', { method: 'oidc', result: reason, ...extra }, outcome);

  if (!(await deps.limits.allowed(source, undefined, timeoutMs))) {
    await audit(undefined, 'rate_limited');
    return failed('rate_limited');
  }
  if (request.redirectUri !== `${portal.publicUrl}/callback`) {
    await deps.limits.failed(source, undefined, timeoutMs);
    await audit(undefined, 'sign_in_invalid', 'failed', { check: 'redirect_uri' });
    return failed('sign_in_invalid');
  }
  let clientSecret: string | undefined;
  try {
    clientSecret = portal.clientSecretSealed
      ? kit.deps.keyring.openText(portal.clientSecretSealed, PORTAL_CLIENT_SECRET_CONTEXT)
      : undefined;
  } catch {
    kit.deps.logger.error('portal: the client secret does not open with this master key');
    return failed('unavailable');
  }
  const result = await deps.oidc.signIn(
    { origin: authority.origin, tenant: authority.tenant, clientId: portal.clientId, clientSecret },
    {
      code: request.code,
      codeVerifier: request.codeVerifier,
      redirectUri: request.redirectUri,
      nonce: request.nonce,
      mfaContext: portal.mfaContext,
    },
    timeoutMs,
  );
  if (result.outcome === 'unavailable') {
    kit.deps.logger.warn({ check: result.check }, 'portal: Microsoft sign-in could not be completed');
    await audit(undefined, 'unavailable', 'failed', { check: result.check });
    return failed('unavailable');
  }
  if (result.outcome === 'invalid') {
    await deps.limits.failed(source, undefined, timeoutMs);
    await audit(undefined, 'sign_in_invalid', 'failed', { check: result.check });
    return failed('sign_in_invalid');
  }
  const mapped = canonicalUpn(result.username, entra?.domain || null);
  const upn = mapped.ok ? mapped.upn : undefined;
  if (result.outcome === 'mfa_not_performed') {
    await deps.limits.failed(source, upn, timeoutMs);
    await audit(upn, 'mfa_not_performed');
    return failed('mfa_not_performed');
  }
  const user = upn === undefined ? null : await users.get(kit.db, upn);
  if (!user?.enabled) {
    await audit(upn, 'not_enrollable');
    return failed('not_enrollable');
  }
  if (!(await deps.limits.allowed(source, user.upn, timeoutMs))) {
    await audit(user.upn, 'rate_limited');
    return failed('rate_limited');
  }
  const session = await deps.sessions.open({ upn: user.upn, method: 'oidc' }, deps.now(), timeoutMs);
  await audit(user.upn, 'ok', 'success');
  return { outcome: 'ok', view: await sessionView(deps, session) };
}

type LinkState = { ok: true; link: EnrollmentLink } | { ok: false; reason: 'link_unknown' | 'link_expired' | 'link_used' | 'link_revoked' };

async function findLink(deps: PortalDeps, token: string): Promise<LinkState> {
  const link = await enrollmentLinks.byHash(deps.kit.db, linkTokenHash(token));
  if (!link) return { ok: false, reason: 'link_unknown' };
  const status = enrollmentLinkStatus(link, deps.now());
  if (status === 'active') return { ok: true, link };
  return { ok: false, reason: status === 'expired' ? 'link_expired' : status === 'used' ? 'link_used' : 'link_revoked' };
}

/** The link's state; a link that does not lead to an enrolment counts as a failure of the source (guessing stops there). */
async function usableLink(
  deps: PortalDeps,
  request: { link: string; source: string },
  timeoutMs: number,
  action: string,
): Promise<{ ok: true; link: EnrollmentLink } | { ok: false; response: { outcome: 'failed'; reason: PortalFailure } }> {
  const portal = await portalSettings(deps.kit.db);
  if (!portal.linksEnabled || portal.publicUrl === '') return { ok: false, response: failed('disabled') };
  const source = request.source;
  if (!(await deps.limits.allowed(source, undefined, timeoutMs))) {
    await portalAudit(deps, { source }, action, { method: 'link', result: 'rate_limited' }, 'failed');
    return { ok: false, response: failed('rate_limited') };
  }
  const state = await findLink(deps, request.link);
  if (!state.ok) {
    await deps.limits.failed(source, undefined, timeoutMs);
    await portalAudit(deps, { source }, action, { method: 'link', result: state.reason }, 'failed');
    return { ok: false, response: failed(state.reason) };
  }
  return state;
}

export async function checkLink(deps: PortalDeps, request: PortalLinkCheckRequest): Promise<PortalLinkCheckResponse> {
  const timeoutMs = request.timeoutMs ?? DEFAULT_BUDGET_MS;
  const state = await usableLink(deps, request, timeoutMs, 'portal.link.check');
  if (!state.ok) return state.response;
  return { outcome: 'ok', upn: state.link.upn, expiresAt: state.link.expiresAt.toISOString() };
}

export async function signInLink(deps: PortalDeps, request: PortalLinkSignInRequest): Promise<PortalSignInResponse> {
  const { kit } = deps;
  const started = deps.now();
  const timeoutMs = request.timeoutMs ?? DEFAULT_BUDGET_MS;
  const source = request.source;
  const state = await usableLink(deps, request, timeoutMs, 'portal.sign_in');
  if (!state.ok) return state.response;
  const { link } = state;
  const upn = link.upn;
  const audit = (reason: string, outcome = 'failed', extra: Record<string, unknown> = {}) =>
    portalAudit(deps, { upn, source }, 'portal.sign_in', { method: 'link', linkId: link.id, result: reason, ...extra }, outcome);
  const user = await users.get(kit.db, upn);
  if (!user?.enabled) {
    await audit('not_enrollable');
    return failed('not_enrollable');
  }
  if (!(await deps.limits.allowed(source, upn, timeoutMs))) {
    await audit('rate_limited');
    return failed('rate_limited');
  }
  const left = Math.max(1, timeoutMs - (deps.now() - started));
  let outcome: EntraOutcome | 'no_answer';
  try {
    const reply = await kit.deps.bus.request(
      subject(kit.deps.subjectPrefix, 'verifyEntra'),
      { upn, password: request.password, timeoutMs: Math.max(1, left - ANSWER_MARGIN_MS) },
      { timeoutMs: left },
    );
    const parsed = EntraVerifyResponse.safeParse(reply);
    outcome = parsed.success ? parsed.data.outcome : 'no_answer';
  } catch (error) {
    kit.deps.logger.warn(
      { err: errorFields(error), code: error instanceof BusError ? error.code : undefined },
      'portal: entra-verifier did not answer',
    );
    outcome = 'no_answer';
  }
  if (PASSWORD_REFUSED.has(outcome as EntraOutcome)) {
    await deps.limits.failed(source, upn, timeoutMs);
    await audit('wrong_password', 'failed', { entra: outcome });
    return failed('wrong_password');
  }
  if (!PASSWORD_PROVEN.has(outcome as EntraOutcome)) {
    await audit('unavailable', 'failed', { entra: outcome });
    return failed('unavailable');
  }
  const session = await deps.sessions.open({ upn, method: 'link', linkId: link.id }, deps.now(), timeoutMs);
  await audit('ok', 'success', { entra: outcome });
  return { outcome: 'ok', view: await sessionView(deps, session) };
}
