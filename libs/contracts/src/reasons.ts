/**
 * Machine-readable reasons a decision carries. Logs, traces, metrics and the auth log use
 * these exact strings; the NAS only ever sees a generic Reply-Message.
 */
export const ACCEPT_REASON = 'ok' as const;

/**
 * The reasons of an accept: `ok` (password proven by Entra for an account with MFA, or by an LDAP
 * bind, and a valid unused code), `ok.exempt` (password proven, second factor waived by a group's mfaExempt),
 * `ok.fallback` (password proven and a one-time code sent by email or SMS typed back: weaker than TOTP).
 */
export const AcceptReasons = [ACCEPT_REASON, 'ok.exempt', 'ok.fallback'] as const;
export type AcceptReason = (typeof AcceptReasons)[number];

export function isAcceptReason(reason: string): reason is AcceptReason {
  return (AcceptReasons as readonly string[]).includes(reason);
}

export const RejectReasons = [
  'request.malformed', // no User-Name / User-Password, or not PAP
  'request.no_otp', // the typed password is too short or does not end in the token's digits
  'user.unknown', // no Tollgate user for this name
  'user.disabled', // the Tollgate user is disabled by an admin
  'otp.not_enrolled', // the user has no TOTP token
  'otp.invalid', // wrong code
  'otp.replayed', // the code's time step was already used
  'otp.locked', // too many failed codes: second factor locked for a while
  'policy.rate_limited', // too many wrong Entra passwords for the user or from the source: Entra not asked for a while
  'entra.invalid_credentials', // AADSTS50126 / 50034
  'entra.no_mfa', // a token was issued: the account has no MFA, refused by policy
  'entra.locked', // AADSTS50053
  'entra.disabled', // AADSTS50057
  'entra.password_expired', // AADSTS50055 / 50144
  'entra.blocked', // Conditional Access / security defaults (53003, 50131, 530035)
  'entra.config_error', // tenant, client, consent, public flows: an admin must act
  'entra.throttled', // 50196 / HTTP 429
  'entra.unavailable', // network, 5xx, timeout, unknown answer
  'entra.not_configured', // Entra is disabled or has no tenant/client
  'ldap.invalid_credentials', // no such user in the directory, or the bind said invalidCredentials (AD 52e / 525)
  'ldap.locked', // AD 775, OpenLDAP ppolicy lock
  'ldap.disabled', // AD 533, permanent ppolicy lock
  'ldap.account_expired', // AD 701
  'ldap.password_expired', // AD 532
  'ldap.must_change_password', // AD 773
  'ldap.restricted', // AD 530 / 531: logon hours or workstations
  'ldap.config_error', // service account, base DN, filter or TLS settings: an admin must act
  'ldap.unavailable', // no directory server answered
  'ldap.not_configured', // LDAP is disabled or incomplete
  'verifier.unavailable', // a verifier did not answer on the bus
  'policy.client_not_allowed', // the user's groups allow other RADIUS clients only: refused before Entra is asked
  'policy.reply_too_large', // an accept's reply attributes do not fit in 4096 octets: rejected, not sent without them
  'challenge.unknown', // the State names no challenge Tollgate issued
  'challenge.expired', // the challenge's time ran out before the code came
  'challenge.replayed', // the challenge was already answered, or its attempts are spent
  'challenge.foreign', // the State belongs to another client, User-Name or NAS source
  'timeout', // the gateway's deadline passed with no decision
  'internal_error', // anything unexpected: fail closed
] as const;

/** The reason of a challenge decision when the password is proven and the code is asked for. */
export const CHALLENGE_REASON = 'challenge.issued' as const;

/**
 * The reasons a challenge decision may carry: the first challenge, the wrong (or already
 * used) code for which the same challenge is asked again, a fallback code sent by email or SMS
 * (`challenge.fallback_sent`), or one asked for that could not be sent (no address on file, too
 * many sent, channel off or failing: `challenge.fallback_unavailable`).
 */
export const FallbackChallengeReasons = ['challenge.fallback_sent', 'challenge.fallback_unavailable'] as const;
export const ChallengeReasons = [CHALLENGE_REASON, 'otp.invalid', 'otp.replayed', ...FallbackChallengeReasons] as const;
export type ChallengeReason = (typeof ChallengeReasons)[number];

export type RejectReason = (typeof RejectReasons)[number];
export type DecisionReason = AcceptReason | typeof CHALLENGE_REASON | (typeof FallbackChallengeReasons)[number] | RejectReason;
