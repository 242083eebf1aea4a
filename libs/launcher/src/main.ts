#!/usr/bin/env node
import { ConfigError } from '@tollgate/config';
import { createLogger } from '@tollgate/logging';
import { SERVICE_NAMES } from '@tollgate/runtime';
import { Launcher } from './launcher.js';
import { TargetError } from './targets.js';
import { BackendError, openDatabase } from './build-context.js';
import { loadProcessConfig } from './process-config.js';

const USAGE = `Usage:
  tollgate run <target>...   run one or more services in this process
                             targets: all, ${SERVICE_NAMES.join(', ')}
  tollgate migrate           apply the database schema migrations and exit
  tollgate help              show this text
Configuration comes from environment variables; see README.md.`;

async function run(targets: string[]): Promise<void> {
  const launcher = new Launcher({ targets });
  const timeout = launcher.config.SHUTDOWN_TIMEOUT_MS;
  let signals = 0;
  const shutdown = (signal: string) => {
    signals++;
    if (signals > 1) {
      launcher.logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    launcher.logger.info({ signal }, 'signal received');
    const timer = setTimeout(() => {
      launcher.logger.error({ timeoutMs: timeout }, 'graceful stop took too long: exiting');
      process.exit(1);
    }, timeout);
    timer.unref();
    void launcher.stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  try {
    await launcher.start();
  } catch (error) {
    await launcher.stop().catch(() => undefined);
    throw error;
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'run':
      return run(rest);
    case 'migrate': {
      const config = loadProcessConfig(process.env);
      const logger = createLogger('tollgate', { level: config.LOG_LEVEL });
      const db = await openDatabase({ ...config, MIGRATE_ON_START: true }, logger);
      await db.close();
      logger.info('migrations are up to date');
      return;
    }
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

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof TargetError || error instanceof BackendError) {
    console.error(`tollgate: ${error.message}`);
    process.exit(2);
  }
  console.error(`tollgate: start failed: ${(error as { code?: string }).code ?? (error as Error).message}`);
  process.exit(1);
});
