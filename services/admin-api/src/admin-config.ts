/**
 * Configuration of the admin API, from environment variables. The API token (or its SHA-256)
 * guards every endpoint, so a missing or short one stops start-up with a message naming the
 * key. The two ENTRA_* keys are the entra-verifier's own, read the same way, so an admin cannot
 * save an authority host the verifier would refuse.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { ConfigError, env, loadConfig, describeKey } from '@tollgate/config';
import { AllowedAuthorityHosts, type AuthorityPolicy } from '@tollgate/contracts';
import { dictionaryConfigShape } from '@tollgate/radius-dictionary';

export const MIN_API_TOKEN_LENGTH = 16;

export const adminConfigShape = {
  /** TCP port of the admin API (0: any free port). */
  ADMIN_PORT: describeKey(env.port(8080), 'TCP port of the admin API'),
  /** Address the admin API listens on. */
  ADMIN_BIND: describeKey(
    z
      .string()
      .default('0.0.0.0')
      .refine((v) => isIP(v) !== 0 || v === 'localhost', { message: 'must be an IP address or localhost' }),
    'address of the admin API: all interfaces by default; loopback only in a one-box process (in-process bus) unless set; the Docker image sets `0.0.0.0` (publish the port on `127.0.0.1`)',
    '`0.0.0.0`; `127.0.0.1` without `NATS_URL`',
  ),
  /** Bearer token required on every request (at least 16 characters). */
  ADMIN_API_TOKEN: describeKey(
    z
      .string()
      .min(MIN_API_TOKEN_LENGTH, { message: `must be at least ${MIN_API_TOKEN_LENGTH} characters` })
      .optional(),
    'bearer token for the admin API, at least 16 characters; unset without `NATS_URL`, a random one is printed once on the first start and only its SHA-256 is kept (`TOLLGATE_DATA_DIR/admin-token.sha256`)',
    '(unset: generated)',
  ),
  /** Instead of the token: its SHA-256 in hex, so only a hash of the token is kept at rest. */
  ADMIN_API_TOKEN_SHA256: describeKey(
    z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, { message: 'must be a SHA-256 in hex (64 characters)' })
      .optional(),
    'instead of `ADMIN_API_TOKEN`: its SHA-256 in hex, so only a hash is configured (not both)',
  ),
  /** Failed authentications from one source (IPv6: its /64) within the window, after which it gets 429. */
  ADMIN_AUTH_MAX_FAILURES: describeKey(
    env.int(10, 1, 10_000),
    'requests without a valid token from one source (IPv6: its /64) within the window, after which that source gets 429 until the window ends (per process)',
  ),
  /** The window those failures are counted in, from the first; the source is refused until it ends. */
  ADMIN_AUTH_WINDOW_SECONDS: describeKey(env.int(60, 1, 86_400), "that window, counted from the source's first failure"),
  /** Issuer name shown by authenticator apps for generated TOTP seeds. */
  ADMIN_ISSUER: describeKey(
    z
      .string()
      .trim()
      .min(1, { message: 'must not be empty' })
      .max(64, { message: 'must be at most 64 characters' })
      .refine((v) => !v.includes(':'), { message: 'must not contain a colon' })
      .default('Tollgate'),
    'issuer shown by authenticator apps for generated seeds',
  ),
  /** Extra https authority hosts an admin may configure besides Microsoft's three clouds (as for the entra-verifier). */
  ENTRA_ALLOWED_AUTHORITY_HOSTS: describeKey(AllowedAuthorityHosts, "extra `https` authority hosts besides Microsoft's three clouds"),
  /** Allow http(s) authority hosts on loopback (a local stand-in in tests only; as for the entra-verifier). */
  ENTRA_ALLOW_LOOPBACK_AUTHORITY: describeKey(env.bool(false), 'allow an authority on loopback (tests and the benchmark only)'),
  /** Console sessions end after this long without a request. */
  ADMIN_SESSION_IDLE_MINUTES: describeKey(env.int(30, 1, 1_440), 'a console session ends after this many minutes without a request'),
  /** And this long after sign-in, whatever the activity. */
  ADMIN_SESSION_MAX_HOURS: describeKey(env.int(12, 1, 168), 'and this many hours after sign-in, whatever the activity'),
  /** Mark the session cookie Secure even when the request arrived over plain HTTP (a TLS proxy in front). */
  ADMIN_COOKIE_SECURE: describeKey(
    env.bool(false),
    'mark the session cookie `Secure` also when the request reached the admin API over HTTP (behind a TLS proxy); always when it came over HTTPS',
  ),
  /** The gateway's own key: reply attributes are validated with the dictionary the gateway encodes with. */
  ...dictionaryConfigShape,
};

export type AdminConfig = z.infer<z.ZodObject<typeof adminConfigShape>>;

export function loadAdminConfig(source: Record<string, string | undefined>): AdminConfig {
  const config = loadConfig('admin-api', adminConfigShape, source);
  // One of the two, never both: which one would count would otherwise be a surprise.
  if (config.ADMIN_API_TOKEN === undefined && config.ADMIN_API_TOKEN_SHA256 === undefined) {
    throw new ConfigError('admin-api', 'ADMIN_API_TOKEN', 'is required (or its hash in ADMIN_API_TOKEN_SHA256)');
  }
  if (config.ADMIN_API_TOKEN !== undefined && config.ADMIN_API_TOKEN_SHA256 !== undefined) {
    throw new ConfigError('admin-api', 'ADMIN_API_TOKEN_SHA256', 'must not be set together with ADMIN_API_TOKEN');
  }
  return config;
}

/** The authority hosts the admin may save: exactly those the entra-verifier will call. */
export function authorityPolicy(config: AdminConfig): AuthorityPolicy {
  return { allowedHosts: config.ENTRA_ALLOWED_AUTHORITY_HOSTS, allowLoopback: config.ENTRA_ALLOW_LOOPBACK_AUTHORITY };
}
