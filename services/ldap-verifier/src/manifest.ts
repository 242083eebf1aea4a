import type { ServiceManifest } from '@tollgate/runtime';
import { ldapVerifierConfigShape } from './config.js';

/** ldap-verifier's manifest: what the launcher, the banner and the deployment checks know of it. */
export const ldapVerifier: ServiceManifest = {
  name: 'ldap-verifier',
  description: 'checks a password against LDAP / Active Directory with a search and a bind (and syncs LDAP groups)',
  dependsOn: [],
  backends: ['bus', 'database'],
  config: ldapVerifierConfigShape,
  listens: [],
  metrics: [
    'tollgate_ldap_requests_total',
    'tollgate_ldap_request_duration_seconds',
    'tollgate_ldap_group_syncs_total',
    'tollgate_ldap_pool_connections',
    'tollgate_ldap_pool_idle_connections',
    'tollgate_ldap_pool_pending_binds',
  ],
  bus: { serves: ['verifyLdap', 'testLdap'], requests: [], publishes: ['configChanged'], subscribes: ['configChanged'] },
  async create(context) {
    const { createLdapVerifier } = await import('./ldap-verifier.js');
    return createLdapVerifier(context);
  },
};
