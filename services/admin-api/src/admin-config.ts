/**
 * Configuration of the admin API, from environment variables. The API token guards every
 * endpoint, so a missing or short one stops start-up with a message naming the key. The two
 * ENTRA_* keys are the entra-verifier's own, read the same way, so an admin cannot save an
 * authority host the verifier would refuse.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { env, loadConfig } from '@tollgate/config';
import { AllowedAuthorityHosts, type AuthorityPolicy } from '@tollgate/contracts';

export const MIN_API_TOKEN_LENGTH = 16;

export const adminConfigShape = {
  /** TCP port of the admin API (0: any free port). */
  ADMIN_PORT: env.port(8080),
  /** Address the admin API listens on. */
  ADMIN_BIND: z
    .string()
    .default('0.0.0.0')
    .refine((v) => isIP(v) !== 0 || v === 'localhost', { message: 'must be an IP address or localhost' }),
  /** Bearer token required on every request (at least 16 characters). */
  ADMIN_API_TOKEN: z
    .string({ error: 'is required' })
    .min(MIN_API_TOKEN_LENGTH, { message: `must be at least ${MIN_API_TOKEN_LENGTH} characters` }),
  /** Issuer name shown by authenticator apps for generated TOTP seeds. */
  ADMIN_ISSUER: z
    .string()
    .trim()
    .min(1, { message: 'must not be empty' })
    .max(64, { message: 'must be at most 64 characters' })
    .refine((v) => !v.includes(':'), { message: 'must not contain a colon' })
    .default('Tollgate'),
  /** Extra https authority hosts an admin may configure besides Microsoft's three clouds (as for the entra-verifier). */
  ENTRA_ALLOWED_AUTHORITY_HOSTS: AllowedAuthorityHosts,
  /** Allow http(s) authority hosts on loopback (a local stand-in in tests only; as for the entra-verifier). */
  ENTRA_ALLOW_LOOPBACK_AUTHORITY: env.bool(false),
};

export type AdminConfig = z.infer<z.ZodObject<typeof adminConfigShape>>;

export function loadAdminConfig(source: Record<string, string | undefined>): AdminConfig {
  return loadConfig('admin-api', adminConfigShape, source);
}

/** The authority hosts the admin may save: exactly those the entra-verifier will call. */
export function authorityPolicy(config: AdminConfig): AuthorityPolicy {
  return { allowedHosts: config.ENTRA_ALLOWED_AUTHORITY_HOSTS, allowLoopback: config.ENTRA_ALLOW_LOOPBACK_AUTHORITY };
}
