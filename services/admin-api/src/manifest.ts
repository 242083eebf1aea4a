import { PORTAL_SUBJECT_NAMES } from '@tollgate/contracts';
import type { ServiceManifest } from '@tollgate/runtime';
import { adminConfigShape } from './admin-config.js';

/** admin-api's manifest: what the launcher, the banner and the deployment checks know of it. */
export const adminApi: ServiceManifest = {
  name: 'admin-api',
  description:
    "the HTTP API through which admins manage Entra settings, policy, RADIUS clients, users, tokens and the auth log; the enrolment portal's back end on the bus",
  dependsOn: ['entra-verifier', 'ldap-verifier'],
  backends: ['bus', 'database', 'state', 'syslog'],
  config: adminConfigShape,
  listens: [{ name: 'api', label: 'Admin API', protocol: 'http', bindKey: 'ADMIN_BIND', portKey: 'ADMIN_PORT', path: '/api/v1' }],
  metrics: ['tollgate_admin_requests_total'],
  bus: {
    // The enrolment portal asks the admin API for everything (it holds no database credentials).
    serves: PORTAL_SUBJECT_NAMES,
    requests: ['testEntra', 'testLdap', 'verifyEntra'],
    publishes: ['configChanged'],
    subscribes: [],
  },
  async create(context) {
    const { createAdminApiComponent } = await import('./admin-api-component.js');
    return createAdminApiComponent(context);
  },
};
