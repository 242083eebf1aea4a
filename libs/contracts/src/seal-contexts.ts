/**
 * The contexts (AES-GCM associated data) secrets are sealed with. The component that seals a
 * value and the one that opens it must use the same context, and a context is stored with every
 * sealed value, so these strings are a format: changing one makes stored secrets unreadable.
 */

/** The Entra client secret in the `entra` settings. */
export const ENTRA_CLIENT_SECRET_CONTEXT = 'settings:entra';

/** The LDAP service account's bind password in the `ldap` settings. */
export const LDAP_BIND_PASSWORD_CONTEXT = 'settings:ldap';

/** The SMTP password in the `fallback-codes` settings. */
export const FALLBACK_SMTP_PASSWORD_CONTEXT = 'settings:fallback-codes:smtp';

/** A header value of the SMS webhook in the `fallback-codes` settings: bound to the header's name. */
export function fallbackHeaderContext(name: string): string {
  return `settings:fallback-codes:header:${name.toLowerCase()}`;
}

/**
 * A fallback code's digest in the state store: bound to its key (the challenge it was sent for),
 * so a digest cannot be moved under another challenge.
 */
export function fallbackCodeContext(key: string): string {
  return `fallback-code:${key}`;
}

/** A user's TOTP seed: bound to the user, so a seed copied to another row does not open. */
export function totpSeedContext(upn: string): string {
  return `totp:${upn}`;
}

/** An admin account's own TOTP seed: bound to the account. */
export function adminTotpSeedContext(username: string): string {
  return `admin-totp:${username}`;
}

/** A RADIUS client's shared secret: bound to the client's id. */
export function radiusClientSecretContext(id: string): string {
  return `radius-client:${id}`;
}

/**
 * A challenge record in the state store: bound to its key (a digest of the State), so a record
 * cannot be moved under another State, and sealed, so whoever can write to Redis cannot forge
 * the fact that a password was proven.
 */
export function challengeStateContext(key: string): string {
  return `challenge:${key}`;
}

/** A pending token's seed (made by the enrolment portal, not yet confirmed by a first code): bound to the user. */
export function pendingTotpSeedContext(upn: string): string {
  return `totp-pending:${upn}`;
}

/** The client secret of the enrolment portal's app registration in the `portal` settings. */
export const PORTAL_CLIENT_SECRET_CONTEXT = 'settings:portal';

/** A portal session record in the state store: bound to its key (a digest of the session reference). */
export function portalSessionContext(key: string): string {
  return `portal-session:${key}`;
}
