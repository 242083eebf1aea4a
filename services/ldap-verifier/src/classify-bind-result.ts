/**
 * What a failed LDAP operation means, as one of the fixed LdapOutcomes. Pure: the LDAP result
 * code, the server's diagnostic message and, for a user's bind, the state the search read from
 * the user's entry. Active Directory says why a bind failed only in the diagnostic message
 * (`80090308: LdapErr: DSID-0C09042A, comment: AcceptSecurityContext error, data 775, v4563`);
 * OpenLDAP's ppolicy overlay answers a locked account with a plain invalidCredentials, so the
 * entry's `pwdAccountLockedTime` tells a lock from a wrong password.
 */
import type { LdapOutcome } from '@tollgate/contracts';

/** LDAP result codes (RFC 4511 appendix A) this file branches on. */
export const ResultCodes = {
  confidentialityRequired: 13,
  strongerAuthRequired: 8,
  inappropriateAuthentication: 48,
  invalidCredentials: 49,
  insufficientAccessRights: 50,
  busy: 51,
  unavailable: 52,
  unwillingToPerform: 53,
  noSuchObject: 32,
  invalidDNSyntax: 34,
} as const;

/** Active Directory's bind sub-codes (the `data` of the diagnostic message). */
export const AD_SUB_CODES: Readonly<Record<string, LdapOutcome>> = {
  '525': 'invalid_credentials', // user not found
  '52e': 'invalid_credentials', // wrong password
  '530': 'restricted', // not permitted to log on at this time
  '531': 'restricted', // not permitted to log on at this workstation
  '532': 'password_expired',
  '533': 'disabled',
  '568': 'restricted', // too many security ids (token size)
  '701': 'account_expired',
  '773': 'must_change_password', // pwdLastSet is 0
  '775': 'locked',
};

/** ppolicy's value for a lock that never times out: an administrator locked (disabled) the account. */
export const PERMANENT_LOCK = '000001010000Z';

/** What the search read from the user's entry that bears on a failed bind. */
export interface EntryState {
  pwdAccountLockedTime?: string | undefined;
}

export interface Classified {
  outcome: LdapOutcome;
  subCode?: string;
}

/** The `data XXX` sub-code of an Active Directory diagnostic message, lower case, or undefined. */
export function adSubCode(message: string): string | undefined {
  const match = /\bdata ([0-9a-f]{1,8})\b/i.exec(message);
  return match?.[1]?.toLowerCase();
}

/**
 * A user's bind that the server answered with an error. A known AD sub-code decides; else an
 * invalidCredentials on an entry ppolicy has locked is the lock (permanent: disabled); else
 * invalidCredentials is a wrong password. Other codes are the server refusing the way Tollgate
 * binds (config_error) or being in trouble (unavailable); never a proven password.
 */
export function classifyUserBind(resultCode: number, message: string, entry: EntryState): Classified {
  const sub = adSubCode(message);
  if (sub !== undefined && AD_SUB_CODES[sub] !== undefined) return { outcome: AD_SUB_CODES[sub], subCode: sub };
  const withSub = (outcome: LdapOutcome): Classified => (sub === undefined ? { outcome } : { outcome, subCode: sub });
  if (resultCode === ResultCodes.invalidCredentials) {
    const locked = entry.pwdAccountLockedTime?.trim();
    if (locked) return withSub(locked === PERMANENT_LOCK ? 'disabled' : 'locked');
    return withSub('invalid_credentials');
  }
  return withSub(classifyOther(resultCode));
}

/** The service account's bind or a search that failed with a result code. */
export function classifyServiceFailure(resultCode: number): LdapOutcome {
  if (resultCode === ResultCodes.busy || resultCode === ResultCodes.unavailable) return 'unavailable';
  // A wrong service password, no such base DN, a filter the server refuses, no read access: an admin must act.
  return 'config_error';
}

function classifyOther(resultCode: number): LdapOutcome {
  switch (resultCode) {
    case ResultCodes.confidentialityRequired:
    case ResultCodes.strongerAuthRequired:
    case ResultCodes.inappropriateAuthentication:
    case ResultCodes.invalidDNSyntax:
      return 'config_error';
    case ResultCodes.unwillingToPerform:
      // OpenLDAP answers a bind to a disabled (e.g. pwdReset-forced) account this way; AD, a locked-out one it cannot bind.
      return 'locked';
    default:
      return 'unavailable';
  }
}
