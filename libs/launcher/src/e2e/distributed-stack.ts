import { Keyring, portalBusKey, randomToken } from '@tollgate/security';
import {
  TEST_NATS_URL,
  TEST_REDIS_URL,
  createTestDatabase,
  freeTcpPort,
  freeUdpPort,
  startEntraStandIn,
  startTollgate,
  uniquePrefix,
  type TollgateProcess,
} from '@tollgate/testkit';
import { START_ORDER } from '../service-registry.js';
import { AdminClient } from './admin-client.js';
import { COMMON_TEST_ENV, startObservers, type Stack } from './stack.js';

/**
 * What every process of one distributed test stack shares: the real NATS, PostgreSQL and Redis,
 * isolated by the test's own database, subject prefix and key prefix, and one master key.
 */
export function distributedBackendEnv(databaseUrl: string, prefix: string): Record<string, string> {
  const masterKey = Keyring.generateBase64();
  return {
    NATS_URL: TEST_NATS_URL,
    NATS_SUBJECT_PREFIX: prefix,
    DATABASE_URL: databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: `${prefix}:`,
    TOLLGATE_MASTER_KEY: masterKey,
    // What a portal running alone is given instead (the others ignore it).
    PORTAL_BUS_KEY: Buffer.from(portalBusKey(Keyring.fromBase64(masterKey))).toString('base64'),
  };
}

/** One process per service, started in the launcher's order (dependencies first). */
export const SEPARATE_TARGETS = START_ORDER.map((m) => m.name);

/**
 * A service's own environment: one that holds only the portal key (the internet-facing portal) is
 * started as a deployment starts it, with no database, no Redis and no master key in reach.
 */
export function envFor(target: string, env: Record<string, string>): Record<string, string | undefined> {
  const manifest = START_ORDER.find((m) => m.name === target);
  if (manifest?.secrets !== 'portal-key') return env;
  return { ...env, DATABASE_URL: undefined, REDIS_URL: undefined, REDIS_KEY_PREFIX: undefined, TOLLGATE_MASTER_KEY: undefined };
}

/**
 * Every service as its own process on the real NATS, PostgreSQL and Redis, each test run
 * isolated by its own database, subject prefix and key prefix.
 */
export async function startDistributedStack(
  options: { replicas?: number; extraEnv?: Record<string, string>; secondGateway?: boolean } = {},
): Promise<Stack & { processes: TollgateProcess[]; env: Record<string, string>; portalUrl: string }> {
  const database = await createTestDatabase('e2e');
  const entra = await startEntraStandIn();
  const prefix = uniquePrefix('e2e');
  const [radiusPort, adminPort, portalPort] = [await freeUdpPort(), await freeTcpPort(), await freeTcpPort()];
  const secondRadiusPort = options.secondGateway ? await freeUdpPort() : undefined;
  const adminToken = randomToken();
  const observers = await startObservers();
  const env: Record<string, string> = {
    ...COMMON_TEST_ENV,
    ...observers.env,
    ...distributedBackendEnv(database.url, prefix),
    ADMIN_API_TOKEN: adminToken,
    ADMIN_PORT: String(adminPort),
    RADIUS_AUTH_PORT: String(radiusPort),
    PORTAL_PORT: String(portalPort),
    ...options.extraEnv,
  };
  const processes: TollgateProcess[] = [];
  try {
    // Sequential starts: the first runs the migrations, the rest find them done.
    for (const target of SEPARATE_TARGETS) processes.push(await startTollgate({ targets: [target], env: envFor(target, env) }));
    if (secondRadiusPort !== undefined) {
      processes.push(await startTollgate({ targets: ['radius-gateway'], env: { ...env, RADIUS_AUTH_PORT: String(secondRadiusPort) } }));
    }
  } catch (error) {
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
    await observers.close();
    await entra.close();
    await database.drop();
    throw error;
  }
  return {
    mode: 'distributed',
    radiusPort,
    ...(secondRadiusPort === undefined ? {} : { secondRadiusPort }),
    admin: new AdminClient(`http://127.0.0.1:${adminPort}`, adminToken),
    portalUrl: `http://127.0.0.1:${env.PORTAL_PORT}`,
    entra,
    processes,
    env,
    decisionTimeoutMs: Number(env.RADIUS_DECISION_TIMEOUT_MS),
    async metrics() {
      return (await Promise.all(processes.map((p) => p.metrics()))).join('\n');
    },
    output: () => processes.flatMap((p) => p.output),
    spans: () => observers.otlp.spans,
    syslog: () => observers.syslog.messages,
    async stop() {
      const codes = await Promise.all(processes.map((p) => p.stop('SIGTERM')));
      await observers.close();
      await entra.close();
      await database.drop();
      if (codes.some((c) => c !== 0)) throw new Error(`a process did not stop cleanly: exit codes ${codes.join(', ')}`);
    },
  };
}
