/** The ldap-verifier's environment configuration (see the README's configuration table). */
import { env, loadConfig, describeKey } from '@tollgate/config';

export const COMPONENT = 'ldap-verifier';

export const ldapVerifierConfigShape = {
  /**
   * Connections kept open for users' binds, per directory server set. A bind takes a connection
   * for one round trip, so this bounds binds in flight; searches share the one service-account connection.
   */
  LDAP_BIND_POOL_SIZE: describeKey(env.int(8, 1, 256), 'connections kept for users’ binds (searches share one)'),
  /** How long the LDAP settings are cached (config events drop them sooner). */
  LDAP_SETTINGS_CACHE_MS: describeKey(env.int(30_000, 0, 3_600_000), 'settings cache (config events drop it at once)'),
};

export interface LdapVerifierConfig {
  bindPoolSize: number;
  settingsCacheMs: number;
}

export function loadLdapVerifierConfig(source: Record<string, string | undefined>): LdapVerifierConfig {
  const raw = loadConfig(COMPONENT, ldapVerifierConfigShape, source);
  return { bindPoolSize: raw.LDAP_BIND_POOL_SIZE, settingsCacheMs: raw.LDAP_SETTINGS_CACHE_MS };
}
