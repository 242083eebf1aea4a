import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freeTcpPort } from './free-port.js';

/** The launcher's entry point in this checkout. */
export const TOLLGATE_MAIN = fileURLToPath(new URL('../../launcher/dist/main.js', import.meta.url));

export interface TollgateProcess {
  readonly child: ChildProcess;
  /** What it runs, and the environment it was started with (for tests of what a process holds). */
  readonly targets: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly metricsPort: number;
  /** Every line the process wrote to stdout and stderr so far. */
  readonly output: string[];
  metrics(): Promise<string>;
  /** Sends the signal and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

/**
 * Starts `tollgate run <targets>` as a separate process and resolves once its /readyz answers
 * 200. Rejects, with the process's output, if it exits first or is not ready in time.
 */
export async function startTollgate(options: {
  targets: string[];
  env: Record<string, string | undefined>;
  readyTimeoutMs?: number;
  /** Extra arguments for node itself (e.g. `--cpu-prof` when profiling a benchmark). */
  nodeArgs?: string[];
  /** Working directory of the process (the default data directory `./data` is relative to it). */
  cwd?: string;
}): Promise<TollgateProcess> {
  const metricsPort = Number(options.env.METRICS_PORT) || (await freeTcpPort());
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, LOG_LEVEL: 'info', ...options.env, METRICS_PORT: String(metricsPort) })) {
    if (v !== undefined) env[k] = v;
  }
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), TOLLGATE_MAIN, 'run', ...options.targets], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  const output: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      output.push(...lines);
    });
    stream.on('end', () => partial && output.push(partial));
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${metricsPort}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  for (;;) {
    if (exitCode !== undefined)
      throw new Error(`tollgate ${options.targets.join(' ')} exited (${exitCode}) before ready:\n${output.join('\n')}`);
    try {
      const res = await fetch(`${base}/readyz`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`tollgate ${options.targets.join(' ')} not ready in time:\n${output.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    targets: [...options.targets],
    env,
    metricsPort,
    output,
    exited,
    async metrics() {
      return (await fetch(`${base}/metrics`)).text();
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Reads one sample of a Prometheus metric from exposition text (0 when absent). */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have: Record<string, string> = {};
    for (const pair of (match[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) have[pair[1]!] = pair[2]!;
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) total += Number(match[4]);
  }
  return total;
}
