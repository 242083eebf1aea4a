/**
 * What the deployment files must agree with, in one place: Tollgate's services and what each one's
 * code connects to and serves (docs/architecture.md, libs/launcher). The checks compare the
 * manifests, the compose file and the NATS permissions with these facts, so a change to either
 * side that breaks the other fails CI.
 */

export const SERVICES = ['radius-gateway', 'aggregator', 'otp-verifier', 'entra-verifier', 'admin-api'];

export const METRICS_PORT = 9464;
export const RADIUS_PORT = 1812;
export const ADMIN_PORT = 8080;
export const SUBJECT_PREFIX = 'tollgate';

/** Where each workload may connect ("port/protocol"). Every process opens NATS, PostgreSQL and Redis. */
const CORE_EGRESS = ['53/UDP', '53/TCP', '4222/TCP', '5432/TCP', '6379/TCP'];
export const EXPECTED_EGRESS = {
  'radius-gateway': CORE_EGRESS,
  aggregator: CORE_EGRESS,
  'otp-verifier': CORE_EGRESS,
  'entra-verifier': [...CORE_EGRESS, '443/TCP'],
  'admin-api': CORE_EGRESS,
  migrate: ['53/UDP', '53/TCP', '5432/TCP'],
};

/** Where each workload may be reached. */
export const EXPECTED_INGRESS = {
  'radius-gateway': [`${RADIUS_PORT}/UDP`, `${METRICS_PORT}/TCP`],
  aggregator: [`${METRICS_PORT}/TCP`],
  'otp-verifier': [`${METRICS_PORT}/TCP`],
  'entra-verifier': [`${METRICS_PORT}/TCP`],
  'admin-api': [`${ADMIN_PORT}/TCP`, `${METRICS_PORT}/TCP`],
  migrate: [],
};

/** Environment variables a container may carry besides Tollgate's own configuration keys. */
export const isStandardVariable = (name) => /^OTEL_[A-Z0-9_]+$/.test(name) || name === 'NODE_OPTIONS' || name === 'NODE_EXTRA_CA_CERTS';

/** The environment variable holding a service's NATS password, in the Secret and in nats-server.conf. */
export const natsPasswordVariable = (service) => `${service.toUpperCase().replace(/-/g, '_')}_NATS_PASSWORD`;
export const natsNkeyVariable = (service) => `${service.toUpperCase().replace(/-/g, '_')}_NKEY`;
