import { PORTAL_SUBJECT_NAMES } from '@tollgate/contracts';
import type { ServiceManifest } from '@tollgate/runtime';
import { enrollmentPortalConfigShape } from './config.js';

/** enrollment-portal's manifest: what the launcher, the banner and the deployment checks know of it. */
export const enrollmentPortal: ServiceManifest = {
  name: 'enrollment-portal',
  description: 'self-service enrolment pages (Microsoft sign-in with MFA, or a link and the password): holds no database and no master key',
  dependsOn: ['admin-api'],
  backends: ['bus'],
  secrets: 'portal-key',
  config: enrollmentPortalConfigShape,
  listens: [{ name: 'http', label: 'Enrolment portal', protocol: 'http', bindKey: 'PORTAL_BIND', portKey: 'PORTAL_PORT', path: '/' }],
  metrics: ['tollgate_portal_requests_total', 'tollgate_portal_request_duration_seconds'],
  bus: {
    serves: [],
    requests: PORTAL_SUBJECT_NAMES,
    publishes: [],
    subscribes: [],
  },
  async create(context) {
    const { createEnrollmentPortal } = await import('./enrollment-portal.js');
    return createEnrollmentPortal(context);
  },
};
