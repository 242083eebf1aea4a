/**
 * What the deployment files must agree with, in one place: Tollgate's services and what each one's
 * code connects to and serves, read from the service manifests the launcher runs (libs/launcher's
 * MANIFESTS: names, listeners and their default ports) and the process configuration's defaults.
 * The checks compare the manifests, the compose file and the NATS permissions with these facts,
 * so a change to either side that breaks the other fails CI. Needs the workspace built.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const launcherEntry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../libs/launcher/dist/index.js');
if (!existsSync(launcherEntry)) throw new Error(`${launcherEntry} is missing: build the workspace first (npm run build)`);
const { MANIFESTS, SERVICE_NAMES, processConfigShape } = await import(pathToFileURL(launcherEntry).href);

/** What loading an unset key gives: the default the code uses. */
const defaultOf = (schema) => schema.parse(undefined);

export const SERVICES = [...SERVICE_NAMES];

export const METRICS_PORT = defaultOf(processConfigShape.METRICS_PORT);
export const SUBJECT_PREFIX = defaultOf(processConfigShape.NATS_SUBJECT_PREFIX);

/** Each service's listeners at their default ports: [{ name, port, protocol: 'UDP' | 'TCP' }]. */
export const LISTENERS = Object.fromEntries(
  MANIFESTS.map((m) => [
    m.name,
    m.listens.map((l) => ({ name: l.name, port: defaultOf(m.config[l.portKey]), protocol: l.protocol === 'udp' ? 'UDP' : 'TCP' })),
  ]),
);
const listenerPort = (service, name) => {
  const listener = LISTENERS[service]?.find((l) => l.name === name);
  if (!listener) throw new Error(`validate-deploy: the ${service} manifest declares no '${name}' listener`);
  return listener.port;
};
export const RADIUS_PORT = listenerPort('radius-gateway', 'radius');
export const ADMIN_PORT = listenerPort('admin-api', 'api');

/** Where each workload may connect ("port/protocol"). Every process opens NATS, PostgreSQL and Redis. */
const CORE_EGRESS = ['53/UDP', '53/TCP', '4222/TCP', '5432/TCP', '6379/TCP'];
/**
 * Beyond the core: the entra-verifier calls Entra ID's token endpoint, the ldap-verifier the directory servers, the
 * admin-api the token endpoint and JWKS for the enrolment portal's Microsoft sign-in.
 */
const EXTRA_EGRESS = { 'entra-verifier': ['443/TCP'], 'ldap-verifier': ['389/TCP', '636/TCP'], 'admin-api': ['443/TCP'] };
export const EXPECTED_EGRESS = {
  ...Object.fromEntries(SERVICES.map((s) => [s, [...CORE_EGRESS, ...(EXTRA_EGRESS[s] ?? [])]])),
  migrate: ['53/UDP', '53/TCP', '5432/TCP'],
};

/** Where each workload may be reached: its listeners and the health/metrics port. */
export const EXPECTED_INGRESS = {
  ...Object.fromEntries(SERVICES.map((s) => [s, [...LISTENERS[s].map((l) => `${l.port}/${l.protocol}`), `${METRICS_PORT}/TCP`]])),
  migrate: [],
};

/** Environment variables a container may carry besides Tollgate's own configuration keys. */
export const isStandardVariable = (name) => /^OTEL_[A-Z0-9_]+$/.test(name) || name === 'NODE_OPTIONS' || name === 'NODE_EXTRA_CA_CERTS';

/** The environment variable holding a service's NATS password, in the Secret and in nats-server.conf. */
export const natsPasswordVariable = (service) => `${service.toUpperCase().replace(/-/g, '_')}_NATS_PASSWORD`;
export const natsNkeyVariable = (service) => `${service.toUpperCase().replace(/-/g, '_')}_NKEY`;
