/**
 * The contexts (AES-GCM associated data) secrets are sealed with. The component that seals a
 * value and the one that opens it must use the same context, and a context is stored with every
 * sealed value, so these strings are a format: changing one makes stored secrets unreadable.
 */

/** The Entra client secret in the `entra` settings. */
export const ENTRA_CLIENT_SECRET_CONTEXT = 'settings:entra';

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
