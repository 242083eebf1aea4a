import { z } from 'zod';
import { plainText, secretText } from './text.js';

/**
 * The fixed set of outcomes an LDAP check is classified into (ldap-verifier's
 * classify-bind-result.ts): the search for the user, then the bind as the DN it found.
 */
export const LdapOutcomes = [
  'password_ok', // the bind as the user's DN succeeded: password proven (LDAP has no MFA: Tollgate's code is the second factor)
  'invalid_credentials', // no such user, or the bind said invalidCredentials (AD data 52e / 525)
  'locked', // AD data 775, or an OpenLDAP ppolicy lock (pwdAccountLockedTime)
  'disabled', // AD data 533, or a permanent ppolicy lock (pwdAccountLockedTime 000001010000Z)
  'account_expired', // AD data 701
  'password_expired', // AD data 532, or ppolicy's pwdGraceUseTime exhausted
  'must_change_password', // AD data 773 (pwdLastSet 0)
  'restricted', // AD data 530 / 531: not at this time, not from this workstation
  'config_error', // the service account cannot bind or search, the filter or base DN is wrong: an admin must act
  'unavailable', // no server answered (refused, timeout, TLS failure) or an answer Tollgate does not know
  'not_configured', // LDAP is disabled or incomplete
] as const;
export type LdapOutcome = (typeof LdapOutcomes)[number];

export const LdapVerifyRequest = z.object({
  upn: plainText(1, 256),
  password: secretText(1, 256),
  /** Time left for this check; the search and the bind are cut short to fit (never longer than configured). */
  timeoutMs: z.number().int().min(1).max(60_000).optional(),
});
export type LdapVerifyRequest = z.infer<typeof LdapVerifyRequest>;

export const LdapVerifyResponse = z.object({
  outcome: z.enum(LdapOutcomes),
  /** Active Directory's sub-code from the bind error (`data 52e`), lower-case hex, when there was one. */
  subCode: z
    .string()
    .regex(/^[0-9a-f]{1,8}$/)
    .optional(),
  /** The LDAP result code of the failing operation (49 invalidCredentials, ...), when there was one. */
  resultCode: z.number().int().optional(),
  /** The server that answered (`ldaps://dc1.corp:636`), when one did. Never a credential. */
  server: z.string().max(512).optional(),
  /** What failed, for the admin's test (`search`, `bind`, `service_bind`, `connect`, `tls`); never a password. */
  stage: z.enum(['connect', 'tls', 'service_bind', 'search', 'bind']).optional(),
  /** Tollgate groups the user's LDAP groups matched (and were synced), on a proven password. */
  groups: z.array(z.string().max(256)).max(1000).optional(),
  latencyMs: z.number(),
});
export type LdapVerifyResponse = z.infer<typeof LdapVerifyResponse>;

/**
 * The directories a RADIUS client's passwords may be checked against, in the order asked: the
 * next one only when the one before is unavailable, never when it said the password is wrong.
 */
export const PasswordSources = ['entra', 'ldap'] as const;
export type PasswordSource = (typeof PasswordSources)[number];
export const DEFAULT_PASSWORD_SOURCES: readonly PasswordSource[] = ['entra'];
