import type { DecisionReason, EntraOutcome, OtpOutcome, RejectReason } from '@tollgate/contracts';
import type { PolicySettings, VerificationOrder } from '@tollgate/store';
import { splitPassword } from './split-password.js';
import type { UserProfile } from './user-profiles.js';

/** What each verifier said, or that it could not be asked (bus timeout, no responder, error). */
export type OtpVerdict = { outcome: OtpOutcome } | { unavailable: true };
export type EntraVerdict = { outcome: EntraOutcome; aadsts?: number } | { unavailable: true } | { notAsked: true };

/**
 * Read from the shared state store before either verifier is asked: whether the user's second
 * factor is locked, and whether the user or the source is over its wrong-password limit; or that
 * either could not be read.
 */
export type LockVerdict = { locked: boolean; rateLimited: boolean } | { unavailable: true };

/** Wrong Entra passwords counted in the window, for the user and for the source of the request. */
export interface PasswordFailures {
  user: number;
  source: number;
}

/**
 * Whether the wrong-password limits refuse the request before Entra is asked: the user's count at
 * `passwordMaxFailures`, or the source's at `sourceMaxFailures` (a limit of 0 is off). The limits
 * sit below Entra's smart lockout (10 by default), so someone guessing through Tollgate stops
 * before Entra locks the account out of everything else.
 */
export function passwordLimited(
  failures: PasswordFailures,
  policy: Pick<PolicySettings, 'passwordMaxFailures' | 'sourceMaxFailures'>,
): boolean {
  const over = (count: number, max: number) => max > 0 && count >= max;
  return over(failures.user, policy.passwordMaxFailures) || over(failures.source, policy.sourceMaxFailures);
}

/**
 * Whether Entra is asked once the OTP verifier has answered, in `otp_first` order: only for a
 * valid (hence now claimed) code. In `parallel` order it was asked already, beside the OTP verifier.
 */
export function asksEntraAfter(order: VerificationOrder, otp: OtpVerdict): boolean {
  return order === 'otp_first' && 'outcome' in otp && otp.outcome === 'valid';
}

export interface Decision {
  decision: 'accept' | 'reject';
  reason: DecisionReason;
}

const ENTRA_REASONS: Record<Exclude<EntraOutcome, 'password_ok_mfa'>, RejectReason> = {
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

/** What the users table says of a user who cannot sign in, whether the aggregator or the otp-verifier read it. */
const USER_REASONS: Record<Exclude<UserProfile['status'], 'enrolled'>, RejectReason> = {
  unknown_user: 'user.unknown',
  user_disabled: 'user.disabled',
  not_enrolled: 'otp.not_enrolled',
};

const OTP_REASONS: Record<Exclude<OtpOutcome, 'valid'>, RejectReason> = {
  invalid: 'otp.invalid',
  replayed: 'otp.replayed',
  locked: 'otp.locked',
  ...USER_REASONS,
};

/** Before the verifiers: a reject, or the Entra password and the code to ask them about. */
export type EarlyVerdict = { reject: RejectReason } | { ask: { password: string; code: string } };

/**
 * The rejects decided before either verifier is asked, in order: what Tollgate knows of the user
 * (unknown, disabled, not enrolled); then the lock and the wrong-password limits, which must be
 * known before Entra is asked (a locked or limited user's requests never reach Entra), so state
 * that cannot be read rejects as `verifier.unavailable` (fail closed, never "not locked"); then
 * what was typed, split by the digits of the user's token (split-password.ts): without a code,
 * `request.no_otp`. Otherwise the verifiers are asked, about the password and the code.
 */
export function earlyReject(profile: UserProfile, lock: LockVerdict, typed: string): EarlyVerdict {
  if (profile.status !== 'enrolled') return { reject: USER_REASONS[profile.status] };
  if ('unavailable' in lock) return { reject: 'verifier.unavailable' };
  if (lock.locked) return { reject: 'otp.locked' };
  if (lock.rateLimited) return { reject: 'policy.rate_limited' };
  const split = splitPassword(typed, profile.digits);
  return split ? { ask: split } : { reject: 'request.no_otp' };
}

/**
 * The MFA-required policy. Accept only when Entra proved the password of an account that has
 * MFA, and the code was valid and unused. Everything else rejects, and the reason names the
 * most telling failure: a lock first (the user must wait whatever else is true), then a
 * definite Entra answer, then a definite OTP answer, then whichever verifier was unreachable.
 * Entra `notAsked` (otp_first order, the code was not valid) leaves the OTP answer as the reason.
 */
export function decide(otp: OtpVerdict, entra: EntraVerdict): Decision {
  const otpOutcome = 'outcome' in otp ? otp.outcome : undefined;
  const entraOutcome = 'outcome' in entra ? entra.outcome : undefined;
  if (otpOutcome === 'valid' && entraOutcome === 'password_ok_mfa') return { decision: 'accept', reason: 'ok' };
  if (otpOutcome === 'locked') return reject('otp.locked');
  if (otpOutcome === 'user_disabled' || otpOutcome === 'unknown_user') return reject(OTP_REASONS[otpOutcome]);
  if (entraOutcome && entraOutcome !== 'password_ok_mfa' && entraOutcome !== 'unavailable') return reject(ENTRA_REASONS[entraOutcome]);
  if (otpOutcome && otpOutcome !== 'valid') return reject(OTP_REASONS[otpOutcome]);
  if (entraOutcome === 'unavailable') return reject('entra.unavailable');
  return reject('verifier.unavailable');
}

/**
 * The early rejects of a member of an `mfaExempt` group: the user must exist and be enabled (a
 * token is not needed: a service account has none), the wrong-password limits must be readable
 * and not reached. The second-factor lock does not apply: no code is asked. Otherwise Entra is
 * asked about the whole typed value, which is the password.
 */
export function earlyRejectExempt(profile: UserProfile, lock: LockVerdict): { reject: RejectReason } | { ask: 'entra' } {
  if (profile.status === 'unknown_user' || profile.status === 'user_disabled') return { reject: USER_REASONS[profile.status] };
  if ('unavailable' in lock) return { reject: 'verifier.unavailable' };
  if (lock.rateLimited) return { reject: 'policy.rate_limited' };
  return { ask: 'entra' };
}

/**
 * The policy for a member of an `mfaExempt` group: accept (`ok.exempt`) when Entra proved the
 * password, whether the account has MFA or not; every other answer rejects with its usual reason.
 * The only path on which an account without MFA is accepted.
 */
export function decideExempt(entra: EntraVerdict): Decision {
  if (!('outcome' in entra)) return reject('verifier.unavailable');
  if (entra.outcome === 'password_ok_mfa' || entra.outcome === 'no_mfa') return { decision: 'accept', reason: 'ok.exempt' };
  return reject(ENTRA_REASONS[entra.outcome]);
}

function reject(reason: RejectReason): Decision {
  return { decision: 'reject', reason };
}
