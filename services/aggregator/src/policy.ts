import type { DecisionReason, FallbackVerifyOutcome, OtpMode, OtpOutcome, RejectReason } from '@tollgate/contracts';
import type { PolicySettings, VerificationOrder } from '@tollgate/store';
import { afterCode, type ChallengeRecord } from './challenge-state.js';
import { passwordRejectReason, provenAtAll, provenForCode, sourceUnavailable, type PasswordVerdict } from './password-sources.js';
import { splitPassword } from './split-password.js';
import type { UserProfile } from './user-profiles.js';

/**
 * What each verifier said, or that it could not be asked (bus timeout, no responder, error). The
 * password's verdict is the answer of the source that decided (Entra or LDAP, password-sources.ts).
 */
export type OtpVerdict = { outcome: OtpOutcome } | { unavailable: true };
export type { PasswordVerdict } from './password-sources.js';

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

/**
 * What the typed value is taken for, by the client's otpMode: the password with the code
 * appended (`append`); the password alone, the code to be asked in a challenge (`challenge`);
 * or either (`auto`): the whole value, and its split when its last digits could be a code.
 */
export type CodeEntry =
  | { kind: 'appended'; password: string; code: string }
  | { kind: 'password_only'; password: string }
  | { kind: 'either'; whole: string; split: { password: string; code: string } | undefined };

/** Before the verifiers: a reject, or what to ask them about. */
export type EarlyVerdict = { reject: RejectReason } | { ask: CodeEntry };

/**
 * The rejects decided before either verifier is asked, in order: what Tollgate knows of the user
 * (unknown, disabled, not enrolled); then the lock and the wrong-password limits, which must be
 * known before Entra is asked (a locked or limited user's requests never reach Entra), so state
 * that cannot be read rejects as `verifier.unavailable` (fail closed, never "not locked"); then
 * what was typed, read by the client's otpMode (CodeEntry): in `append`, split by the digits of
 * the user's token (split-password.ts), and without a code `request.no_otp`.
 */
export function earlyReject(profile: UserProfile, lock: LockVerdict, typed: string, mode: OtpMode = 'append'): EarlyVerdict {
  if (profile.status !== 'enrolled') return { reject: USER_REASONS[profile.status] };
  if ('unavailable' in lock) return { reject: 'verifier.unavailable' };
  if (lock.locked) return { reject: 'otp.locked' };
  if (lock.rateLimited) return { reject: 'policy.rate_limited' };
  if (mode === 'challenge') return { ask: { kind: 'password_only', password: typed } };
  const split = splitPassword(typed, profile.digits);
  if (mode === 'auto') return { ask: { kind: 'either', whole: typed, split: split ?? undefined } };
  return split ? { ask: { kind: 'appended', ...split } } : { reject: 'request.no_otp' };
}

/**
 * The first step of a challenge (the password alone was asked of Entra): a proven password of an
 * MFA account is challenged for the code; anything else rejects at once with the reason `decide`
 * would give, with no challenge (an account without MFA is refused, as always).
 */
export function afterPasswordStep(password: PasswordVerdict): { challenge: true } | Decision {
  // No password verifier answered on the bus: as in `decide`, the verifier is unavailable.
  if (!('outcome' in password)) return reject('verifier.unavailable');
  if (provenForCode(password)) return { challenge: true };
  return reject(passwordRejectReason(password));
}

/**
 * In `auto`, what the probe of the typed value's last digits means: a valid (now claimed) code is
 * the append flow, so Entra is asked about the rest; a miss means the whole value is the password
 * (the challenge flow); a code already used, a lock or a user state rejects as `decide` would,
 * without an Entra call; a verifier that did not answer rejects (fail closed).
 */
export function afterProbe(otp: OtpVerdict): 'appended' | 'whole' | Decision {
  if (!('outcome' in otp)) return reject('verifier.unavailable');
  if (otp.outcome === 'valid') return 'appended';
  if (otp.outcome === 'invalid') return 'whole';
  return reject(OTP_REASONS[otp.outcome]);
}

/**
 * The MFA-required policy. Accept only when the password is proven (by Entra for an account that
 * has MFA, or by an LDAP bind, where Tollgate's code is the only second factor), and the code was
 * valid and unused. Everything else rejects, and the reason names the most telling failure: a
 * lock first (the user must wait whatever else is true), then a definite password answer (named
 * for its source), then a definite OTP answer, then whichever verifier was unreachable. Password
 * `notAsked` (otp_first order, the code was not valid) leaves the OTP answer as the reason.
 */
export function decide(otp: OtpVerdict, password: PasswordVerdict): Decision {
  const otpOutcome = 'outcome' in otp ? otp.outcome : undefined;
  const answered = 'outcome' in password;
  const proven = provenForCode(password);
  if (otpOutcome === 'valid' && proven) return { decision: 'accept', reason: 'ok' };
  if (otpOutcome === 'locked') return reject('otp.locked');
  if (otpOutcome === 'user_disabled' || otpOutcome === 'unknown_user') return reject(OTP_REASONS[otpOutcome]);
  if (answered && !proven && !sourceUnavailable(password)) return reject(passwordRejectReason(password));
  if (otpOutcome && otpOutcome !== 'valid') return reject(OTP_REASONS[otpOutcome]);
  if (sourceUnavailable(password)) return reject(passwordRejectReason(password));
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
 * The policy for a member of an `mfaExempt` group: accept (`ok.exempt`) when the password is
 * proven (by Entra, whether the account has MFA or not, or by LDAP); every other answer rejects
 * with its usual reason.
 * The only path on which an account without MFA is accepted.
 */
export function decideExempt(password: PasswordVerdict): Decision {
  if (!('outcome' in password)) return reject('verifier.unavailable');
  if (provenAtAll(password)) return { decision: 'accept', reason: 'ok.exempt' };
  return reject(passwordRejectReason(password));
}

function reject(reason: RejectReason): Decision {
  return { decision: 'reject', reason };
}

/** After the code of a challenge's follow-up was checked: accept, ask again with the same State, or reject. */
export type ChallengeCodeVerdict =
  | { decision: 'accept'; reason: 'ok' }
  | { rechallenge: ChallengeRecord; reason: 'otp.invalid' | 'otp.replayed' }
  | Decision;

/**
 * A valid code accepts (the record says the password was proven). A wrong or already used code is
 * asked again, under the same State, until the record's attempts are spent (challenge-state.ts);
 * the last one rejects with the code's reason. A lock or a user state rejects at once, and an
 * OTP verifier that did not answer rejects (fail closed; the State is spent either way).
 */
export function afterChallengeCode(record: ChallengeRecord, otp: OtpVerdict): ChallengeCodeVerdict {
  if (!('outcome' in otp)) return reject('verifier.unavailable');
  if (otp.outcome === 'valid') return { decision: 'accept', reason: 'ok' };
  if (otp.outcome !== 'invalid' && otp.outcome !== 'replayed') return reject(OTP_REASONS[otp.outcome]);
  const next = afterCode(record, false);
  const reason = OTP_REASONS[otp.outcome] as 'otp.invalid' | 'otp.replayed';
  return next.outcome === 'rechallenge' ? { rechallenge: next.record, reason } : reject(reason);
}

/** After a fallback code was checked (a record with `fallback`): accept, ask again, or reject. */
export type FallbackCodeVerdict =
  | { decision: 'accept'; reason: 'ok.fallback' }
  | { rechallenge: ChallengeRecord; reason: 'otp.invalid' }
  | Decision;

/**
 * A matching code accepts as `ok.fallback`. A wrong one, or one no longer stored (expired, or a
 * value that cannot be a code), is a wrong attempt as with TOTP: asked again until the record's
 * attempts are spent. A verifier that did not answer rejects (fail closed).
 */
export function afterFallbackCode(
  record: ChallengeRecord,
  verdict: { outcome: FallbackVerifyOutcome } | { unavailable: true },
): FallbackCodeVerdict {
  if (!('outcome' in verdict)) return reject('verifier.unavailable');
  if (verdict.outcome === 'valid') return { decision: 'accept', reason: 'ok.fallback' };
  const next = afterCode(record, false);
  return next.outcome === 'rechallenge' ? { rechallenge: next.record, reason: 'otp.invalid' } : reject('otp.invalid');
}
