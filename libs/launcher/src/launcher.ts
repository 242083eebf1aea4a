import { Registry, collectDefaultMetrics } from 'prom-client';
import { createLogger, errorFields, type Logger } from '@tollgate/logging';
import { Keyring } from '@tollgate/security';
import type { Db } from '@tollgate/store';
import type { StateStore } from '@tollgate/state';
import type { Component, ServiceContext, ServiceManifest } from '@tollgate/runtime';
import { loadProcessConfig, type ProcessConfig } from './process-config.js';
import { resolveTargets } from './targets.js';
import { MANIFESTS } from './service-registry.js';
import { HealthServer, type Readiness } from './health-server.js';
import { BackendWatch, type BackendProbe } from './backend-watch.js';
import { NatsBus } from '@tollgate/bus';
import { openBackends, type Backends } from './build-context.js';
import { checkTargetsReachable, defaultAdminBind, planBackends, type BackendPlan } from './backend-plan.js';
import { dataDirLayout, ensureDataDir, resolveAdminToken, resolveMasterKey, type AdminToken, type DataDirLayout } from './data-dir.js';
import { DataDirLock } from './data-dir-lock.js';
import type { Listener, StartupSummary } from './banner.js';
import { SyslogSender, syslogSettings, type SyslogSettings } from '@tollgate/syslog';
import { createBusObserver } from './bus-metrics.js';
import { natsExposureWarnings } from './nats-exposure.js';
import { registerSyslogMetrics } from './syslog-metrics.js';
import { masterKeys, planKeys, portalOnlyKeys, type ProcessKeys } from './key-plan.js';
import { absentBackend } from './absent-backend.js';

export interface LaunchOptions {
  targets: string[];
  env?: Record<string, string | undefined>;
  logger?: Logger;
}

/**
 * One process running one or more targets. Owns the shared connections, the health/metrics
 * endpoint, start order and the drain order on stop: not ready -> components stop in reverse
 * (the gateway stops taking packets first) -> bus drained -> syslog queue sent -> pools closed
 * (the embedded database shut down) -> data directory unlocked -> logs flushed. (main.ts then
 * flushes the trace spans before the process exits.)
 */
export class Launcher {
  readonly config: ProcessConfig;
  readonly logger: Logger;
  readonly registry = new Registry();
  readonly plan: BackendPlan;
  readonly layout: DataDirLayout;
  readonly #env: Record<string, string | undefined>;
  readonly #targets: string[];
  readonly #components: Component[] = [];
  #backends: Backends | undefined;
  readonly #syslogSettings: Omit<SyslogSettings, 'logger'> | undefined;
  #syslog: SyslogSender | undefined;
  #busObserver: ReturnType<typeof createBusObserver> | undefined;
  #health: HealthServer | undefined;
  #watch: BackendWatch | undefined;
  #lock: DataDirLock | undefined;
  #summary: StartupSummary | undefined;
  #stopping = false;
  #started = false;
  /** Bind keys the launcher set itself (the one-box loopback default), for the banner. */
  #defaultedKeys = new Set<string>();
  metricsPort = 0;

  constructor(options: LaunchOptions) {
    this.#env = options.env ?? process.env;
    this.#targets = options.targets;
    this.config = loadProcessConfig(this.#env);
    this.plan = planBackends(this.config);
    this.layout = dataDirLayout(this.config.TOLLGATE_DATA_DIR);
    this.logger = options.logger ?? createLogger('tollgate', { level: this.config.LOG_LEVEL });
    // A bad SYSLOG_* setting (no host, an unreadable CA file) stops the start here, naming the key.
    this.#syslogSettings = syslogSettings(this.config);
    collectDefaultMetrics({ register: this.registry });
  }

  async start(): Promise<void> {
    const definitions = resolveTargets(this.#targets);
    const services = definitions.map((d) => d.name);
    // A portal-only process holds the portal key alone: no master key, no database, no state store.
    const portalOnly = planKeys(definitions) === 'portal-key';
    checkTargetsReachable(this.plan, services, { needsDatabase: !portalOnly });
    this.#health = new HealthServer(this.registry, () => this.readiness());
    this.metricsPort = await this.#health.listen(this.config.METRICS_PORT, this.config.METRICS_BIND);
    if (this.plan.db === 'pglite' && !portalOnly) {
      await ensureDataDir(this.layout);
      this.#lock = await DataDirLock.acquire(this.layout.lock, this.layout.root);
      if (this.#lock.staleFrom !== undefined)
        this.logger.warn({ pid: this.#lock.staleFrom }, 'the previous run did not stop cleanly: its lock was stale');
    }
    let masterKey: Awaited<ReturnType<typeof resolveMasterKey>> | undefined;
    let keys: ProcessKeys;
    if (portalOnly) keys = portalOnlyKeys(this.#env);
    else {
      masterKey = await resolveMasterKey(this.layout, {
        envKey: this.config.TOLLGATE_MASTER_KEY,
        embeddedDatabase: this.plan.db === 'pglite',
      });
      keys = masterKeys(Keyring.fromBase64(masterKey.key));
    }
    const adminToken = services.includes('admin-api')
      ? await resolveAdminToken(this.layout, {
          fromEnv: Boolean(this.#env.ADMIN_API_TOKEN || this.#env.ADMIN_API_TOKEN_SHA256),
          // Only the one admin API of an in-process install may mint the token it alone checks.
          mayCreate: this.plan.bus === 'memory',
        })
      : undefined;
    this.#busObserver = createBusObserver(this.registry, this.logger);
    this.#backends = await openBackends(this.config, this.plan, this.logger, this.layout.pglite, keys.seals, this.#busObserver, {
      database: !portalOnly,
      state: !portalOnly,
    });
    const busSecurity = this.#backends.bus.security?.();
    if (busSecurity)
      for (const warning of natsExposureWarnings(busSecurity)) this.logger.warn({ exposure: warning.exposure }, warning.message);
    this.#watch = this.#watchBackends(this.#backends);
    if (this.#syslogSettings) {
      this.#syslog = new SyslogSender({ ...this.#syslogSettings, logger: this.logger });
      registerSyslogMetrics(this.registry, () => this.#syslog!.stats());
      this.#syslog.start();
    }
    let env = adminToken && adminToken.source !== 'env' ? { ...this.#env, ADMIN_API_TOKEN_SHA256: adminToken.sha256 } : this.#env;
    const adminBind = defaultAdminBind(this.plan, this.#env);
    if (adminBind) env = { ...env, ADMIN_BIND: adminBind };
    if (adminBind) this.#defaultedKeys.add('ADMIN_BIND');
    for (const definition of definitions) {
      const context: ServiceContext = {
        env,
        logger: createLogger(definition.name, { level: this.config.LOG_LEVEL }),
        bus: this.#backends.bus,
        subjectPrefix: this.config.NATS_SUBJECT_PREFIX,
        db: this.#backends.db ?? absentBackend<Db>('database'),
        state: this.#backends.state ?? absentBackend<StateStore>('state store'),
        keyring: keys.keyring ?? absentBackend<Keyring>('master key'),
        portalKey: keys.portalKey,
        metrics: this.registry,
        ...(this.#syslog ? { syslog: this.#syslog } : {}),
      };
      this.#components.push(await definition.create(context));
    }
    for (const component of this.#components) await component.start();
    // Stored only now: a start that failed never leaves behind a token nobody was shown.
    if (adminToken?.source === 'created') await adminToken.persist();
    this.#started = true;
    this.#summary = this.#summarise(definitions, masterKey?.source, adminToken);
    this.logger.info(
      {
        targets: services,
        metricsPort: this.metricsPort,
        bus: this.#backends.bus.kind,
        db: this.#backends.db?.kind ?? 'none',
        state: this.#backends.state?.kind ?? 'none',
      },
      'tollgate started',
    );
  }

  /** What the start-up banner shows; undefined until started. */
  summary(): StartupSummary | undefined {
    return this.#summary;
  }

  #summarise(
    running: readonly ServiceManifest[],
    keySource: NonNullable<StartupSummary['masterKey']>['source'] | undefined,
    adminToken: AdminToken | undefined,
  ): StartupSummary {
    const services = running.map((m) => m.name);
    const listeners: Listener[] = [];
    // In the registry's order, as users read the services; each where its component says it is bound.
    for (const manifest of MANIFESTS.filter((m) => services.includes(m.name))) {
      const bound = this.#components.find((c) => c.name === manifest.name)?.listening?.() ?? {};
      for (const spec of manifest.listens) {
        const at = bound[spec.name];
        if (!at) continue;
        listeners.push({
          service: manifest.name,
          label: spec.label,
          protocol: spec.protocol,
          path: spec.path,
          note: spec.note,
          bind: at.bind,
          port: at.port,
          key: spec.bindKey,
          oneBoxDefault: this.#defaultedKeys.has(spec.bindKey),
        });
      }
    }
    const keyless = keySource === undefined;
    const usesDataDir =
      (!keyless && (this.plan.db === 'pglite' || keySource !== 'env')) || (adminToken !== undefined && adminToken.source !== 'env');
    return {
      services,
      allServices: services.length === MANIFESTS.length,
      plan: this.plan,
      urls: { nats: this.config.NATS_URL, database: this.config.DATABASE_URL, redis: this.config.REDIS_URL },
      listeners,
      health: { bind: this.config.METRICS_BIND, port: this.metricsPort, key: 'METRICS_BIND' },
      dataDir: usesDataDir ? this.layout.root : undefined,
      pgliteDir: this.plan.db === 'pglite' && !keyless ? this.layout.pglite : undefined,
      masterKey: keySource ? { source: keySource, file: this.layout.masterKey } : undefined,
      storeless: keyless,
      adminToken: adminToken ? { token: adminToken, file: this.layout.adminTokenHash } : undefined,
      staleLockFrom: this.#lock?.staleFrom,
    };
  }

  /**
   * Probes the servers of this process (not the in-process stand-ins, which cannot be away),
   * so /readyz turns degraded while one does not answer and ready again once it does.
   */
  #watchBackends(backends: Backends): BackendWatch {
    const probes: BackendProbe[] = [];
    const state = backends.state;
    if (state?.kind === 'redis') probes.push({ check: 'state', backend: 'redis', run: (timeoutMs) => state.ping({ timeoutMs }) });
    const db = backends.db;
    if (db?.kind === 'postgres') probes.push({ check: 'database', backend: 'postgresql', run: () => db.query('SELECT 1') });
    const bus = backends.bus;
    if (bus instanceof NatsBus) probes.push({ check: 'bus', backend: 'nats', run: () => bus.connection.rtt() });
    const watch = new BackendWatch(probes, {
      intervalMs: this.config.READINESS_PROBE_INTERVAL_MS,
      timeoutMs: this.config.READINESS_PROBE_TIMEOUT_MS,
      onChange: (check, status) => {
        if (status.ok) this.logger.info({ check }, 'backend answers again: ready');
        else this.logger.warn({ check, cause: status.cause }, 'backend does not answer: not ready');
      },
    });
    watch.start();
    return watch;
  }

  readiness(): Readiness {
    const checks: Record<string, boolean> = {};
    const causes: Record<string, string> = {};
    const note = (check: string, ok: boolean, cause: string) => {
      checks[check] = ok;
      if (!ok) causes[check] = cause;
    };
    note('started', this.#started && !this.#stopping, this.#stopping ? 'stopping' : 'starting');
    const backends = this.#backends;
    const probed = (check: string, connected: boolean | undefined, backend: string) => {
      const status = this.#watch?.status().get(check);
      if (!connected) return note(check, false, `${backend}: not connected`);
      note(check, status?.ok ?? true, status?.cause ?? '');
    };
    probed('bus', backends?.bus.healthy(), backends?.bus.kind ?? 'bus');
    // A portal-only process has neither: nothing to be ready for.
    if (!backends || backends.db)
      probed('database', backends?.db?.healthy(), backends?.db?.kind === 'postgres' ? 'postgresql' : (backends?.db?.kind ?? 'database'));
    if (!backends || backends.state) probed('state', backends?.state?.healthy(), backends?.state?.kind ?? 'state');
    for (const component of this.#components) note(component.name, component.ready?.() ?? true, 'not running');
    return { ready: Object.values(checks).every(Boolean), checks, causes };
  }

  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    // Refused before anything opened (a bad target): nothing to stop, nothing to say.
    if (!this.#health) return;
    this.logger.info('stopping: not ready, draining');
    this.#watch?.stop();
    for (const component of [...this.#components].reverse()) {
      await component
        .stop()
        .catch((error: unknown) => this.logger.error({ component: component.name, err: errorFields(error) }, 'stop failed'));
    }
    if (this.#backends) {
      await this.#backends.bus.drain().catch(() => undefined);
    }
    this.#busObserver?.flush();
    // After the drain: decisions finished while draining still send their messages.
    await this.#syslog?.close().catch(() => undefined);
    if (this.#backends) {
      await this.#backends.state?.close().catch(() => undefined);
      // The embedded database checkpoints and shuts down here, after every writer has finished.
      await this.#backends.db?.close().catch((error: unknown) => this.logger.error({ err: errorFields(error) }, 'database close failed'));
    }
    await this.#lock?.release().catch(() => undefined);
    await this.#health?.close();
    this.logger.info('stopped');
    this.logger.flush();
  }
}
