/**
 * Which backend serves each part of one process: every URL that is set selects the real server,
 * every one left unset the embedded stand-in (in-process bus, PGlite, process memory), in any
 * combination. Without NATS the services can only reach each other inside this process, and
 * without DATABASE_URL the data is this process's own, so in either case every service runs here.
 */
import { MANIFESTS } from './service-registry.js';
import type { ProcessConfig } from './process-config.js';
import { TargetError } from './targets.js';

export interface BackendPlan {
  bus: 'nats' | 'memory';
  db: 'postgres' | 'pglite';
  state: 'redis' | 'memory';
}

export function planBackends(config: Pick<ProcessConfig, 'NATS_URL' | 'DATABASE_URL' | 'REDIS_URL'>): BackendPlan {
  return {
    bus: config.NATS_URL ? 'nats' : 'memory',
    db: config.DATABASE_URL ? 'postgres' : 'pglite',
    state: config.REDIS_URL ? 'redis' : 'memory',
  };
}

/** Where the admin API of a one-box process listens unless ADMIN_BIND says otherwise. */
export const ONE_BOX_ADMIN_BIND = '127.0.0.1';

/**
 * The admin API's address when ADMIN_BIND is not set (empty counts as unset, as in loadConfig):
 * loopback on the in-process bus, the one-box install whose only admin is usually on the box
 * itself; undefined otherwise, leaving the admin API's own default (all interfaces), which a
 * distributed install reaches through its network policy or proxy.
 */
export function defaultAdminBind(plan: BackendPlan, env: Record<string, string | undefined>): string | undefined {
  if (env.ADMIN_BIND) return undefined;
  return plan.bus === 'memory' ? ONE_BOX_ADMIN_BIND : undefined;
}

/**
 * Refuses a partial set of services on the in-process bus: the missing ones could never answer.
 * `services` are the resolved service names of this process; `needsDatabase` false for a process
 * that opens none (the portal alone), which then needs only NATS.
 */
export function checkTargetsReachable(
  plan: BackendPlan,
  services: readonly string[],
  options: { needsDatabase: boolean } = { needsDatabase: true },
): void {
  // A portal-key service (the portal) is asked by nobody and holds no data: the others need not wait for it here.
  const missing = MANIFESTS.filter((m) => !services.includes(m.name) && m.secrets !== 'portal-key').map((m) => m.name);
  if (missing.length === 0) return;
  const here = `${services.join(', ')} cannot run without the other services (missing here: ${missing.join(', ')})`;
  if (plan.bus === 'memory') {
    throw new TargetError(
      `${here} unless NATS_URL is set: without NATS the services talk inside one process, so run them together ` +
        `with \`tollgate run all\`, or set NATS_URL (and DATABASE_URL) to run each in its own process`,
      'needs_nats',
    );
  }
  if (plan.db === 'pglite' && options.needsDatabase) {
    // Every service reads the database: split across processes, each would see its own, different data.
    throw new TargetError(
      `${here} unless DATABASE_URL is set: without it the data lives in this process's embedded database, so run ` +
        `them together with \`tollgate run all\`, or set DATABASE_URL to share a PostgreSQL between processes`,
      'needs_database',
    );
  }
}
