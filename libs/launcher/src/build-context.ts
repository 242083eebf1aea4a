import { mkdir, readFile } from 'node:fs/promises';
import { credsAuthenticator, nkeyAuthenticator, type ConnectionOptions } from 'nats';
import { MemoryBus, NatsBus, type Bus, type BusObserver } from '@tollgate/bus';
import { PgliteDb, PostgresDb, migrate, type Db } from '@tollgate/store';
import { MemoryStateStore, RedisStateStore, type StateStore } from '@tollgate/state';
import type { Logger } from '@tollgate/logging';
import type { BusSeal, SealSelector } from '@tollgate/security';
import type { ProcessConfig } from './process-config.js';
import type { BackendPlan } from './backend-plan.js';
import { TollgateError } from '@tollgate/contracts';

/**
 * The shared connections of one process, opened once and handed to every component: the real
 * servers whose URLs are set, the embedded stand-ins for the others.
 */
export interface Backends {
  bus: Bus;
  /** Absent in a process whose services use none (the portal alone). */
  db?: Db;
  state?: StateStore;
}

/** A start-up failure that names the backend, never a URL's credentials. */
export class BackendError extends TollgateError<'backend_unavailable'> {
  constructor(backend: string, cause: unknown) {
    super('backend_unavailable', `${backend}: cannot connect (${describe(cause)})`);
  }
}

function describe(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return e.code ?? e.message?.split('\n')[0]?.slice(0, 120) ?? 'unknown error';
}

export async function natsOptions(config: ProcessConfig): Promise<ConnectionOptions> {
  const options: ConnectionOptions = {
    servers: (config.NATS_URL ?? '').split(',').map((s) => s.trim()),
    name: `tollgate-${process.pid}`,
  };
  if (config.NATS_USER) options.user = config.NATS_USER;
  if (config.NATS_PASSWORD) options.pass = config.NATS_PASSWORD;
  if (config.NATS_TOKEN) options.token = config.NATS_TOKEN;
  if (config.NATS_CREDS_FILE) options.authenticator = credsAuthenticator(await readFile(config.NATS_CREDS_FILE));
  else if (config.NATS_NKEY_SEED_FILE) {
    // `nk -gen user` writes the seed with a trailing newline; the seed itself is one base32 token.
    const seed = (await readFile(config.NATS_NKEY_SEED_FILE, 'utf8')).trim();
    options.authenticator = nkeyAuthenticator(new TextEncoder().encode(seed));
  }
  if (config.NATS_TLS || config.NATS_TLS_CA_FILE || config.NATS_TLS_CERT_FILE) {
    options.tls = {
      ...(config.NATS_TLS_CA_FILE ? { caFile: config.NATS_TLS_CA_FILE } : {}),
      ...(config.NATS_TLS_CERT_FILE ? { certFile: config.NATS_TLS_CERT_FILE } : {}),
      ...(config.NATS_TLS_KEY_FILE ? { keyFile: config.NATS_TLS_KEY_FILE } : {}),
    };
  }
  return options;
}

/**
 * PostgreSQL at DATABASE_URL, or (unset) the embedded one in `pgliteDir`; the same migrations
 * either way. The caller holds the data directory's lock before opening the embedded one.
 */
export async function openDatabase(config: ProcessConfig, logger: Logger, pgliteDir: string): Promise<Db> {
  let db: Db;
  if (config.DATABASE_URL) {
    const postgres = new PostgresDb({ url: config.DATABASE_URL, max: config.DATABASE_POOL_MAX });
    try {
      await postgres.ping();
    } catch (error) {
      await postgres.close().catch(() => undefined);
      throw new BackendError('postgresql', error);
    }
    db = postgres;
  } else {
    try {
      // Private whatever the umask: the cluster holds user names, the auth log and sealed secrets.
      await mkdir(pgliteDir, { recursive: true, mode: 0o700 });
      db = await PgliteDb.open({ dataDir: pgliteDir });
    } catch (error) {
      throw new BackendError(`embedded database in ${pgliteDir}`, error);
    }
  }
  if (config.MIGRATE_ON_START) {
    try {
      const report = await migrate(db);
      if (report.applied.length) logger.info({ applied: report.applied }, 'schema migrated');
    } catch (error) {
      await db.close().catch(() => undefined);
      throw error;
    }
  }
  return db;
}

async function openState(config: ProcessConfig, plan: BackendPlan): Promise<StateStore> {
  if (plan.state === 'memory' || !config.REDIS_URL) return new MemoryStateStore();
  const state = new RedisStateStore({
    url: config.REDIS_URL,
    keyPrefix: config.REDIS_KEY_PREFIX,
    commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
  });
  try {
    await state.connect();
  } catch (error) {
    await state.close();
    throw new BackendError('redis', error);
  }
  return state;
}

async function openBus(
  config: ProcessConfig,
  plan: BackendPlan,
  seal: BusSeal | SealSelector,
  observer: BusObserver | undefined,
): Promise<Bus> {
  // In-process messages never leave the process: only NATS traffic is sealed.
  if (plan.bus === 'memory') return new MemoryBus(observer ? { observer } : {});
  try {
    return await NatsBus.connect(await natsOptions(config), { seal, ...(observer ? { observer } : {}) });
  } catch (error) {
    throw new BackendError('nats', error);
  }
}

/**
 * `busSeal` seals the NATS traffic (keys derived from the master key, chosen by subject, or the
 * portal key alone); `busObserver` hears of every bus request and every refused message (the
 * launcher's bus metrics); `open` says which of database and state store to open (default both).
 */
export async function openBackends(
  config: ProcessConfig,
  plan: BackendPlan,
  logger: Logger,
  pgliteDir: string,
  busSeal: BusSeal | SealSelector,
  busObserver?: BusObserver,
  open: { database: boolean; state: boolean } = { database: true, state: true },
): Promise<Backends> {
  const opened: Array<() => Promise<void>> = [];
  try {
    const db = open.database ? await openDatabase(config, logger, pgliteDir) : undefined;
    if (db) opened.push(() => db.close());
    const state = open.state ? await openState(config, plan) : undefined;
    if (state) opened.push(() => state.close());
    const bus = await openBus(config, plan, busSeal, busObserver);
    return { bus, ...(db ? { db } : {}), ...(state ? { state } : {}) };
  } catch (error) {
    for (const close of opened.reverse()) await close().catch(() => undefined);
    throw error;
  }
}
