/**
 * `GET /api/v1/services/health`: what this admin API can honestly say about the install: its bus
 * connection, whether the database answers, and every service replica that answers the bus's
 * service discovery in time (on NATS, each replica anywhere; embedded, the services of this
 * process). A service with no replica listed did not answer: it is down or unreachable.
 */
import { errorFields } from '@tollgate/logging';
import type { AdminKit } from './admin-kit.js';
import type { ApiRoutes } from './api-routes.js';

const DISCOVERY_TIMEOUT_MS = 1_000;

export function registerServiceHealthRoutes(routes: ApiRoutes, kit: AdminKit): void {
  routes.add(
    'get',
    '/api/v1/services/health',
    async (_req, res) => {
      const bus = kit.deps.bus;
      const [database, replicas] = await Promise.all([databaseCheck(kit), discover(kit)]);
      res.json({
        checkedAt: new Date().toISOString(),
        bus: { kind: bus.kind, connected: bus.healthy() },
        database,
        replicas: replicas ?? [],
        discovery: replicas === undefined ? 'failed' : 'ok',
      });
    },
    { permission: 'status.read', summary: 'The bus, the database, and every service replica that answers service discovery' },
  );
}

async function databaseCheck(kit: AdminKit): Promise<{ ok: boolean; latencyMs: number | null }> {
  const started = performance.now();
  try {
    await kit.db.query('SELECT 1');
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    kit.deps.logger.warn({ err: errorFields(error) }, 'health: the database did not answer');
    return { ok: false, latencyMs: null };
  }
}

async function discover(kit: AdminKit) {
  const bus = kit.deps.bus;
  if (!bus.replicas) return [];
  try {
    return await bus.replicas(DISCOVERY_TIMEOUT_MS);
  } catch (error) {
    kit.deps.logger.warn({ err: errorFields(error) }, 'health: service discovery failed');
    return undefined;
  }
}
