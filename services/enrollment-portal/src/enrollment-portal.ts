/**
 * The enrolment portal as a launcher component: `start` listens on PORTAL_BIND:PORTAL_PORT,
 * `stop` stops taking connections and gives the requests in progress a moment to finish.
 */
import type { Server } from 'node:http';
import { boundPort as portOf, closeHttp, listenHttp, type Component, type ServiceContext } from '@tollgate/runtime';
import { loadEnrollmentPortalConfig } from './config.js';
import { derivePortalKeys } from './portal-keys.js';
import { PortalClient } from './portal-client.js';
import { registerPortalMetrics } from './metrics.js';
import { AddressRateLimit } from './rate-limit.js';
import { createPortalApp } from './portal-app.js';

export const SERVICE_VERSION = '1.0.0';
const STOP_GRACE_MS = 5_000;

export interface EnrollmentPortalComponent extends Component {
  /** The bound port (0 before start). */
  readonly port: number;
}

export async function createEnrollmentPortal(context: ServiceContext): Promise<EnrollmentPortalComponent> {
  const config = loadEnrollmentPortalConfig(context.env);
  if (!context.portalKey) throw new Error('the launcher gave the portal no portal key');
  const logger = context.logger;
  const app = createPortalApp({
    deps: {
      client: new PortalClient({
        bus: context.bus,
        subjectPrefix: context.subjectPrefix,
        timeoutMs: config.requestTimeoutMs,
        settingsCacheMs: config.settingsCacheMs,
      }),
      keys: derivePortalKeys(context.portalKey),
      metrics: registerPortalMetrics(context.metrics),
      logger,
    },
    trustProxy: config.trustProxy,
    rateLimit: new AddressRateLimit({ limit: config.rateLimitPerMinute, windowMs: 60_000 }),
  });
  let server: Server | undefined;
  let listening = false;
  const boundPort = () => portOf(server);
  return {
    name: 'enrollment-portal',
    get port() {
      return boundPort();
    },
    listening() {
      return { http: { bind: config.bind, port: boundPort() } };
    },
    async start() {
      if (server) return;
      const s = await listenHttp(app, config.port, config.bind);
      server = s;
      listening = true;
      logger.info({ bind: config.bind, port: boundPort() }, 'enrolment portal listening');
    },
    async stop() {
      const s = server;
      if (!s) return;
      listening = false;
      await closeHttp(s, STOP_GRACE_MS);
      server = undefined;
      logger.info('enrolment portal stopped');
    },
    ready() {
      return listening;
    },
  };
}
