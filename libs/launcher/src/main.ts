#!/usr/bin/env node
import { TollgateError } from '@tollgate/contracts';
import { startTelemetry } from '@tollgate/telemetry';
import { createLogger, errorFields, type Logger } from '@tollgate/logging';
import { SERVICE_NAMES } from './service-registry.js';
import { Launcher } from './launcher.js';
import { openDatabase } from './build-context.js';
import { loadProcessConfig } from './process-config.js';
import { planBackends } from './backend-plan.js';
import { formatBanner } from './banner.js';
import { dataDirLayout, ensureDataDir, resolveMasterKey } from './data-dir.js';
import { DataDirLock } from './data-dir-lock.js';
import { ConfigError } from '@tollgate/config';
import { Keyring, portalBusKey } from '@tollgate/security';
import type { Db } from '@tollgate/store';

const USAGE = `Usage:
  tollgate run <target>...   run one or more services in this process
                             targets: all, ${SERVICE_NAMES.join(', ')}
  tollgate migrate           apply the database schema migrations and exit
  tollgate admin create <username> --role <admin|helpdesk|auditor> [--replace]
                             create a console account (password on stdin); --replace resets one
  tollgate keys portal       print the enrolment portal's key (PORTAL_BUS_KEY) for its deployment secret,
                             derived from the master key (TOLLGATE_MASTER_KEY or the data directory's)
  tollgate help              show this text
Configuration comes from environment variables; see README.md. With none of NATS_URL,
DATABASE_URL and REDIS_URL set, \`tollgate run all\` is a self-contained one-box install that
keeps its data in TOLLGATE_DATA_DIR (default ./data); see docs/embedded-mode.md.`;

const DUPLICATE_SIGNAL_MS = 500;

async function run(targets: string[]): Promise<void> {
  const launcher = new Launcher({ targets });
  // Before any service starts, so the first request is traced; a no-op without an OTLP endpoint.
  const telemetry = await startTelemetry({ targets, logger: launcher.logger });
  const timeout = launcher.config.SHUTDOWN_TIMEOUT_MS;
  let firstSignalAt: number | undefined;
  const shutdown = (signal: string) => {
    if (firstSignalAt !== undefined) {
      // One Ctrl-C can arrive twice (npm and timeout forward it to the process group as well).
      if (Date.now() - firstSignalAt < DUPLICATE_SIGNAL_MS) return;
      launcher.logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    firstSignalAt = Date.now();
    launcher.logger.info({ signal }, 'signal received');
    const timer = setTimeout(() => {
      launcher.logger.error({ timeoutMs: timeout }, 'graceful stop took too long: exiting');
      process.exit(1);
    }, timeout);
    timer.unref();
    // A signal during start waits for the start to settle: stopping half-way could cut the
    // embedded database's first initialisation short and leave a cluster that cannot open.
    // Spans are flushed last: after the components stopped, before the process exits.
    void starting
      .catch(() => undefined)
      .then(() => launcher.stop())
      .then(() => telemetry.shutdown())
      .then(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  const starting = launcher.start();
  try {
    await starting;
  } catch (error) {
    await launcher.stop().catch(() => undefined);
    await telemetry.shutdown();
    throw error;
  }
  const summary = launcher.summary();
  // Plain text beside the JSON log: always for a one-box install (it may carry the new admin
  // token), and for anyone watching a terminal; a distributed pod's log stream stays JSON only.
  const embedded = launcher.plan.bus === 'memory' || launcher.plan.db === 'pglite' || launcher.plan.state === 'memory';
  if (summary && (embedded || process.stdout.isTTY)) process.stdout.write(`\n${formatBanner(summary)}\n`);
}

/** Runs `fn` on the database (PostgreSQL, or the embedded one holding its lock), migrated first. */
async function withDatabase(fn: (db: Db, logger: Logger) => Promise<void>): Promise<void> {
  const config = loadProcessConfig(process.env);
  const logger = createLogger('tollgate', { level: config.LOG_LEVEL });
  const layout = dataDirLayout(config.TOLLGATE_DATA_DIR);
  let lock: DataDirLock | undefined;
  if (planBackends(config).db === 'pglite') {
    await ensureDataDir(layout);
    lock = await DataDirLock.acquire(layout.lock, layout.root);
    // As at `run`: the key exists before the cluster does, so a cluster without a key means a lost key.
    await resolveMasterKey(layout, { envKey: config.TOLLGATE_MASTER_KEY, embeddedDatabase: true }).catch(async (error: unknown) => {
      await lock?.release();
      throw error;
    });
  }
  try {
    const db = await openDatabase({ ...config, MIGRATE_ON_START: true }, logger, layout.pglite);
    try {
      await fn(db, logger);
    } finally {
      await db.close();
    }
  } finally {
    await lock?.release();
  }
}

/** `tollgate migrate`: on PostgreSQL, or on the embedded database (holding its lock). */
async function migrateOnly(): Promise<void> {
  await withDatabase(async (_db, logger) => {
    logger.info('migrations are up to date');
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // One line: a trailing newline (echo, a here-string) is not part of the password.
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** `tollgate admin create <username> --role <role>`: the first console account, or a recovery. */
async function adminCommand(argv: string[]): Promise<void> {
  // Loaded here: `run` processes load the admin API's code only when they run it.
  const { createFirstAdmin, parseAdminCreateArgs } = await import('@tollgate/admin-api');
  const args = parseAdminCreateArgs(argv);
  if (process.stdin.isTTY) process.stderr.write(`password for ${args.username} (then Enter, Ctrl-D): `);
  const password = await readStdin();
  await withDatabase(async (db) => {
    const done = await createFirstAdmin(db, args, password);
    console.log(`admin account ${args.username} (${args.role}) ${done}`);
  });
}

/**
 * `tollgate keys portal`: the portal's bus key, derived from the master key, for the Secret of a
 * portal that runs alone (it is given this key and never the master key). Printed on stdout only.
 */
async function keysCommand(argv: string[]): Promise<void> {
  if (argv.length !== 1 || argv[0] !== 'portal') {
    console.error(`tollgate: keys: name the key to print: \`tollgate keys portal\`\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const config = loadProcessConfig(process.env);
  const layout = dataDirLayout(config.TOLLGATE_DATA_DIR);
  const master = await resolveMasterKey(layout, { envKey: config.TOLLGATE_MASTER_KEY, embeddedDatabase: false }).catch((error: unknown) => {
    if (error instanceof ConfigError)
      throw new ConfigError('tollgate', 'TOLLGATE_MASTER_KEY', `is needed to derive the portal key (or ${layout.masterKey})`);
    throw error;
  });
  process.stdout.write(`${Buffer.from(portalBusKey(Keyring.fromBase64(master.key))).toString('base64')}\n`);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'run':
      return run(rest);
    case 'migrate':
      return migrateOnly();
    case 'admin':
      return adminCommand(rest);
    case 'keys':
      return keysCommand(rest);
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return;
    default:
      console.error(command ? `tollgate: unknown command '${command}'\n\n${USAGE}` : USAGE);
      process.exitCode = 2;
  }
}

// Our own errors say what to fix (configuration, targets, backends, data directory) in a message
// that holds no secret; anything else may quote what it was given, so only its name and code show.
main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof TollgateError) {
    console.error(`tollgate: ${error.message}`);
    process.exit(2);
  }
  const { name, code } = errorFields(error);
  console.error(`tollgate: start failed: ${code ?? name}`);
  process.exit(1);
});
