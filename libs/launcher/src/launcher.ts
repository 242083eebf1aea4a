import { Registry, collectDefaultMetrics } from 'prom-client';
import { createLogger, type Logger } from '@tollgate/logging';
import { Keyring } from '@tollgate/security';
import type { Component, ServiceContext } from '@tollgate/runtime';
import { loadProcessConfig, type ProcessConfig } from './process-config.js';
import { resolveTargets } from './targets.js';
import { HealthServer } from './health-server.js';
import { openBackends, type Backends } from './build-context.js';

export interface LaunchOptions {
  targets: string[];
  env?: Record<string, string | undefined>;
  logger?: Logger;
}

/**
 * One process running one or more targets. Owns the shared connections, the health/metrics
 * endpoint, start order and the drain order on stop: not ready -> components stop in reverse
 * (the gateway stops taking packets first) -> bus drained -> pools closed -> logs flushed.
 */
export class Launcher {
  readonly config: ProcessConfig;
  readonly logger: Logger;
  readonly registry = new Registry();
  readonly #env: Record<string, string | undefined>;
  readonly #targets: string[];
  readonly #components: Component[] = [];
  #backends: Backends | undefined;
  #health: HealthServer | undefined;
  #stopping = false;
  #started = false;
  metricsPort = 0;

  constructor(options: LaunchOptions) {
    this.#env = options.env ?? process.env;
    this.#targets = options.targets;
    this.config = loadProcessConfig(this.#env);
    this.logger = options.logger ?? createLogger('tollgate', { level: this.config.LOG_LEVEL });
    collectDefaultMetrics({ register: this.registry });
  }

  async start(): Promise<void> {
    const definitions = resolveTargets(this.#targets);
    this.#health = new HealthServer(this.registry, () => this.readiness());
    this.metricsPort = await this.#health.listen(this.config.METRICS_PORT, this.config.METRICS_BIND);
    this.#backends = await openBackends(this.config, this.logger);
    const keyring = Keyring.fromBase64(this.config.TOLLGATE_MASTER_KEY);
    for (const definition of definitions) {
      const context: ServiceContext = {
        env: this.#env,
        logger: createLogger(definition.name, { level: this.config.LOG_LEVEL }),
        bus: this.#backends.bus,
        subjectPrefix: this.config.NATS_SUBJECT_PREFIX,
        db: this.#backends.db,
        state: this.#backends.state,
        keyring,
        metrics: this.registry,
      };
      this.#components.push(await definition.create(context));
    }
    for (const component of this.#components) await component.start();
    this.#started = true;
    this.logger.info(
      { targets: definitions.map((d) => d.name), metricsPort: this.metricsPort, bus: this.#backends.bus.kind, db: this.#backends.db.kind, state: this.#backends.state.kind },
      'tollgate started',
    );
  }

  readiness(): { ready: boolean; checks: Record<string, boolean> } {
    const checks: Record<string, boolean> = {
      started: this.#started && !this.#stopping,
      bus: this.#backends?.bus.healthy() ?? false,
      database: this.#backends?.db.healthy() ?? false,
      state: this.#backends?.state.healthy() ?? false,
    };
    for (const component of this.#components) checks[component.name] = component.ready?.() ?? true;
    return { ready: Object.values(checks).every(Boolean), checks };
  }

  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    this.logger.info('stopping: not ready, draining');
    for (const component of [...this.#components].reverse()) {
      await component.stop().catch((error: unknown) => this.logger.error({ component: component.name, err: { code: (error as { code?: string }).code } }, 'stop failed'));
    }
    if (this.#backends) {
      await this.#backends.bus.drain().catch(() => undefined);
      await this.#backends.state.close().catch(() => undefined);
      await this.#backends.db.close().catch(() => undefined);
    }
    await this.#health?.close();
    this.logger.info('stopped');
    this.logger.flush();
  }
}
