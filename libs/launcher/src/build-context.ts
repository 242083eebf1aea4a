import { readFile } from 'node:fs/promises';
import { credsAuthenticator, nkeyAuthenticator, type ConnectionOptions } from 'nats';
import { NatsBus, type Bus } from '@tollgate/bus';
import { PostgresDb, migrate, type Db } from '@tollgate/store';
import { RedisStateStore, type StateStore } from '@tollgate/state';
import type { Logger } from '@tollgate/logging';
import type { ProcessConfig } from './process-config.js';

/** The shared connections of one process, opened once and handed to every component. */
export interface Backends {
  bus: Bus;
  db: Db;
  state: StateStore;
}

/** A start-up failure that names the backend, never a URL's credentials. */
export class BackendError extends Error {
  readonly code = 'backend_unavailable' as const;
  constructor(backend: string, cause: unknown) {
    super(`${backend}: cannot connect (${describe(cause)})`);
  }
}

function describe(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return e.code ?? e.message?.split('\n')[0]?.slice(0, 120) ?? 'unknown error';
}

export async function natsOptions(config: ProcessConfig): Promise<ConnectionOptions> {
  const options: ConnectionOptions = {
    servers: config.NATS_URL.split(',').map((s) => s.trim()),
    name: `tollgate-${process.pid}`,
  };
  if (config.NATS_USER) options.user = config.NATS_USER;
  if (config.NATS_PASSWORD) options.pass = config.NATS_PASSWORD;
  if (config.NATS_TOKEN) options.token = config.NATS_TOKEN;
  if (config.NATS_CREDS_FILE) options.authenticator = credsAuthenticator(await readFile(config.NATS_CREDS_FILE));
  else if (config.NATS_NKEY_SEED_FILE) options.authenticator = nkeyAuthenticator(new Uint8Array(await readFile(config.NATS_NKEY_SEED_FILE)));
  if (config.NATS_TLS || config.NATS_TLS_CA_FILE || config.NATS_TLS_CERT_FILE) {
    options.tls = {
      ...(config.NATS_TLS_CA_FILE ? { caFile: config.NATS_TLS_CA_FILE } : {}),
      ...(config.NATS_TLS_CERT_FILE ? { certFile: config.NATS_TLS_CERT_FILE } : {}),
      ...(config.NATS_TLS_KEY_FILE ? { keyFile: config.NATS_TLS_KEY_FILE } : {}),
    };
  }
  return options;
}

export async function openDatabase(config: ProcessConfig, logger: Logger): Promise<Db> {
  const db = new PostgresDb({ url: config.DATABASE_URL, max: config.DATABASE_POOL_MAX });
  try {
    await db.ping();
  } catch (error) {
    await db.close().catch(() => undefined);
    throw new BackendError('postgresql', error);
  }
  if (config.MIGRATE_ON_START) {
    const report = await migrate(db);
    if (report.applied.length) logger.info({ applied: report.applied }, 'schema migrated');
  }
  return db;
}

export async function openBackends(config: ProcessConfig, logger: Logger): Promise<Backends> {
  const opened: Array<() => Promise<void>> = [];
  try {
    const db = await openDatabase(config, logger);
    opened.push(() => db.close());
    const state = new RedisStateStore({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX });
    try {
      await state.connect();
    } catch (error) {
      await state.close();
      throw new BackendError('redis', error);
    }
    opened.push(() => state.close());
    let bus: Bus;
    try {
      bus = await NatsBus.connect(await natsOptions(config));
    } catch (error) {
      throw new BackendError('nats', error);
    }
    return { bus, db, state };
  } catch (error) {
    for (const close of opened.reverse()) await close().catch(() => undefined);
    throw error;
  }
}
