/**
 * Which directory checks a password, and what its answer means. A RADIUS client lists its
 * password sources in order (`passwordSources`, default `['entra']`); the next source is asked
 * only when the one before could not judge the password: it did not answer on the bus, or it said
 * `unavailable` (timeout, connection refused), or Entra asked us to wait (`throttled`). A definite
 * answer, a wrong password above all, is final: asking another directory after a "wrong
 * password" would let a guesser try each directory's password in turn. Pure.
 */
import type { EntraOutcome, LdapOutcome, PasswordSource, RejectReason } from '@tollgate/contracts';

/** A definite answer of one source (`source` absent is Entra, as before there were several). */
export type SourceOutcome =
  | { source?: 'entra'; outcome: EntraOutcome; aadsts?: number }
  | { source: 'ldap'; outcome: LdapOutcome; subCode?: string };

/** One source's answer as the aggregator got it: an outcome, or no answer on the bus. */
export type SourceAnswer = SourceOutcome | { source: PasswordSource; unavailable: true };

/**
 * The verdict on the password the policy judges: the deciding source's answer; no source
 * answered on the bus (`unavailable`); or not asked at all (`otp_first` order, the code was not valid).
 */
export type PasswordVerdict = SourceOutcome | { unavailable: true } | { notAsked: true };

export const ENTRA_REASONS: Record<Exclude<EntraOutcome, 'password_ok_mfa'>, RejectReason> = {
  invalid_credentials: 'entra.invalid_credentials',
  no_mfa: 'entra.no_mfa',
  locked: 'entra.locked',
  disabled: 'entra.disabled',
  password_expired: 'entra.password_expired',
  blocked: 'entra.blocked',
  config_error: 'entra.config_error',
  throttled: 'entra.throttled',
  unavailable: 'entra.unavailable',
  not_configured: 'entra.not_configured',
};

export const LDAP_REASONS: Record<Exclude<LdapOutcome, 'password_ok'>, RejectReason> = {
  invalid_credentials: 'ldap.invalid_credentials',
  locked: 'ldap.locked',
  disabled: 'ldap.disabled',
  account_expired: 'ldap.account_expired',
  password_expired: 'ldap.password_expired',
  must_change_password: 'ldap.must_change_password',
  restricted: 'ldap.restricted',
  config_error: 'ldap.config_error',
  unavailable: 'ldap.unavailable',
  not_configured: 'ldap.not_configured',
};

/** Whether the answer says nothing about the password, so the next source may be asked. */
export function couldNotJudge(answer: SourceAnswer): boolean {
  if ('unavailable' in answer) return true;
  return answer.outcome === 'unavailable' || (answer.source !== 'ldap' && answer.outcome === 'throttled');
}

/**
 * After the answers so far (in the order asked), the source to ask next, or the verdict. With no
 * sources listed, Entra is asked (the behaviour before there were several). When every source
 * could not judge, the last one's answer is the verdict (its reason names it).
 */
export function nextPasswordStep(
  sources: readonly PasswordSource[],
  answers: readonly SourceAnswer[],
): { ask: PasswordSource } | { verdict: PasswordVerdict } {
  const order = sources.length > 0 ? sources : (['entra'] as const);
  const last = answers.at(-1);
  if (last === undefined) return { ask: order[0] as PasswordSource };
  if (couldNotJudge(last) && answers.length < order.length) return { ask: order[answers.length] as PasswordSource };
  return { verdict: 'unavailable' in last ? { unavailable: true } : last };
}

/**
 * Whether the password is proven for the MFA-required policy: by Entra for an account that has
 * MFA, or by an LDAP bind (LDAP has no MFA: Tollgate's code is the second factor). An Entra
 * account without MFA is not (`entra.no_mfa`), except for an exempt group's member (`provenAtAll`).
 */
export function provenForCode(verdict: PasswordVerdict): boolean {
  if (!('outcome' in verdict)) return false;
  return verdict.source === 'ldap' ? verdict.outcome === 'password_ok' : verdict.outcome === 'password_ok_mfa';
}

/** Whether the password is right at all, MFA or not (exempt groups; clearing the wrong-password count). */
export function provenAtAll(verdict: PasswordVerdict): boolean {
  return provenForCode(verdict) || ('outcome' in verdict && verdict.source !== 'ldap' && verdict.outcome === 'no_mfa');
}

/** The source said it could not be reached (`entra.unavailable`, `ldap.unavailable`): the weakest reason. */
export function sourceUnavailable(verdict: PasswordVerdict): boolean {
  return 'outcome' in verdict && verdict.outcome === 'unavailable';
}

/** The reject reason of an answer that does not prove the password, named for its source. */
export function passwordRejectReason(verdict: PasswordVerdict): RejectReason {
  if (!('outcome' in verdict)) return 'verifier.unavailable';
  if (verdict.source === 'ldap') return verdict.outcome === 'password_ok' ? 'internal_error' : LDAP_REASONS[verdict.outcome];
  return verdict.outcome === 'password_ok_mfa' ? 'internal_error' : ENTRA_REASONS[verdict.outcome];
}
