import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freeTcpPort, freeUdpPort, startEntraStandIn, startTollgate, type TollgateProcess } from '@tollgate/testkit';
import { AdminClient } from './admin-client.js';
import { COMMON_TEST_ENV, startObservers, type Stack } from './stack.js';

/**
 * The one-box install as `make run` starts it: one `tollgate run all` process with no NATS,
 * PostgreSQL or Redis URL, no master key and no admin token given, on an empty data directory.
 * Everything it needs it creates; the admin token is read from its first-start banner.
 */

/** Keys that must not leak in from the test runner's environment and turn a part "real". */
export const EMBEDDED_UNSET = {
  NATS_URL: undefined,
  DATABASE_URL: undefined,
  REDIS_URL: undefined,
  TOLLGATE_MASTER_KEY: undefined,
  TOLLGATE_DATA_DIR: undefined,
  ADMIN_API_TOKEN: undefined,
  ADMIN_API_TOKEN_SHA256: undefined,
};

const TOKEN_LINE = /^\s+ADMIN_API_TOKEN=(\S+)$/;

/** Waits until the process has written a line matching `pattern` (the banner follows readiness). */
export async function waitForLine(proc: TollgateProcess, pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const line of proc.output) {
      const match = pattern.exec(line);
      if (match) return match;
    }
    if (Date.now() > deadline) throw new Error(`no line matching ${pattern} in time:\n${proc.output.join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The admin token printed in the first-start banner. */
export async function bannerToken(proc: TollgateProcess): Promise<string> {
  return (await waitForLine(proc, TOKEN_LINE))[1]!;
}

export interface EmbeddedProcessOptions {
  /** Working directory: the data directory is its `./data` unless TOLLGATE_DATA_DIR is in `env`. */
  cwd: string;
  radiusPort: number;
  adminPort: number;
  env?: Record<string, string | undefined>;
}

/** Starts `tollgate run all` in embedded mode and waits for its banner's last line. */
export async function startEmbeddedProcess(options: EmbeddedProcessOptions): Promise<TollgateProcess> {
  const proc = await startTollgate({
    targets: ['all'],
    cwd: options.cwd,
    // The first start initialises a PostgreSQL cluster: allow for a slow machine.
    readyTimeoutMs: 60_000,
    env: {
      ...EMBEDDED_UNSET,
      ...COMMON_TEST_ENV,
      ADMIN_PORT: String(options.adminPort),
      RADIUS_AUTH_PORT: String(options.radiusPort),
      ...options.env,
    },
  });
  await waitForLine(proc, /^\s+Stop with Ctrl-C\.$/);
  return proc;
}

export async function startEmbeddedStack(): Promise<Stack & { process: TollgateProcess; dir: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tollgate-embedded-'));
  const entra = await startEntraStandIn();
  const [radiusPort, adminPort] = [await freeUdpPort(), await freeTcpPort()];
  const observers = await startObservers();
  let proc: TollgateProcess;
  try {
    proc = await startEmbeddedProcess({ cwd: dir, radiusPort, adminPort, env: observers.env });
  } catch (error) {
    await observers.close();
    await entra.close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const token = await bannerToken(proc);
  return {
    mode: 'embedded',
    radiusPort,
    admin: new AdminClient(`http://127.0.0.1:${adminPort}`, token),
    entra,
    process: proc,
    dir,
    decisionTimeoutMs: Number(COMMON_TEST_ENV.RADIUS_DECISION_TIMEOUT_MS),
    metrics: () => proc.metrics(),
    output: () => proc.output,
    spans: () => observers.otlp.spans,
    syslog: () => observers.syslog.messages,
    async stop() {
      const code = await proc.stop('SIGTERM');
      await observers.close();
      await entra.close();
      await rm(dir, { recursive: true, force: true });
      if (code !== 0) throw new Error(`the embedded process did not stop cleanly: exit code ${code}`);
    },
  };
}
