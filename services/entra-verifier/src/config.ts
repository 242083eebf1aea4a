/** The entra-verifier's environment configuration (see the README's configuration table). */
import { env, loadConfig, describeKey } from '@tollgate/config';
import { AllowedAuthorityHosts, type AuthorityPolicy } from '@tollgate/contracts';

export const COMPONENT = 'entra-verifier';

export const entraVerifierConfigShape = {
  /** Deadline of one call to the token endpoint (connect + answer), in ms. */
  ENTRA_TIMEOUT_MS: describeKey(env.int(2000, 100, 60_000), 'deadline of one token-endpoint call'),
  /**
   * Connections kept open to the token endpoint, per authority origin. Each carries one request
   * at a time, so this bounds checks in flight: at Entra's usual few hundred ms, 256 carry about
   * a thousand checks a second per replica.
   */
  ENTRA_MAX_CONNECTIONS: describeKey(env.int(256, 1, 4096), 'keep-alive connections per authority host'),
  /** Extra https authority hosts an admin may configure besides Microsoft's three clouds. */
  ENTRA_ALLOWED_AUTHORITY_HOSTS: describeKey(AllowedAuthorityHosts, "extra `https` authority hosts besides Microsoft's three clouds"),
  /** Allow http(s) authority hosts on loopback (a local stand-in in tests/benchmarks only). */
  ENTRA_ALLOW_LOOPBACK_AUTHORITY: describeKey(env.bool(false), 'allow an authority on loopback (tests and the benchmark only)'),
  /** How long the Entra settings are cached (config events drop them sooner). */
  ENTRA_SETTINGS_CACHE_MS: describeKey(env.int(30_000, 0, 3_600_000), 'settings cache (config events drop it at once)'),
  /** Pause after a 429 that carries no usable Retry-After, in seconds (0: none). */
  ENTRA_THROTTLE_DEFAULT_SECONDS: describeKey(env.int(5, 0, 3600), 'pause after a 429 without a usable `Retry-After`'),
  /** Upper bound on any Retry-After we honour, in seconds. */
  ENTRA_THROTTLE_MAX_SECONDS: describeKey(env.int(300, 1, 86_400), 'longest `Retry-After` honoured'),
};

export interface EntraVerifierConfig {
  timeoutMs: number;
  maxConnections: number;
  authority: AuthorityPolicy;
  settingsCacheMs: number;
  throttleDefaultSeconds: number;
  throttleMaxSeconds: number;
}

export function loadEntraVerifierConfig(source: Record<string, string | undefined>): EntraVerifierConfig {
  const raw = loadConfig(COMPONENT, entraVerifierConfigShape, source);
  return {
    timeoutMs: raw.ENTRA_TIMEOUT_MS,
    maxConnections: raw.ENTRA_MAX_CONNECTIONS,
    authority: { allowedHosts: raw.ENTRA_ALLOWED_AUTHORITY_HOSTS, allowLoopback: raw.ENTRA_ALLOW_LOOPBACK_AUTHORITY },
    settingsCacheMs: raw.ENTRA_SETTINGS_CACHE_MS,
    throttleDefaultSeconds: raw.ENTRA_THROTTLE_DEFAULT_SECONDS,
    throttleMaxSeconds: raw.ENTRA_THROTTLE_MAX_SECONDS,
  };
}
