/**
 * Runs the nats-server binary (from PATH or /usr/sbin, Debian's package): `-t` to test a
 * configuration file, or a real server on 127.0.0.1 and an OS-assigned port for the live checks,
 * stopped again by the caller.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export function findNatsServer() {
  for (const dir of [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/bin']) {
    const candidate = path.join(dir, 'nats-server');
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

export function natsServerVersion(binary) {
  return spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim();
}

/** `nats-server -t -c file`: { ok, output }. */
export function testConfig(binary, file, env) {
  const result = spawnSync(binary, ['-t', '-c', file], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
    cwd: path.dirname(file),
  });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`.trim() };
}

/** Starts a server with `file` on loopback; resolves { port, stop() } once it listens. */
export function startServer(binary, file, env, { timeoutMs = 10_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['-c', file, '-a', '127.0.0.1', '-p', '-1', '-m', '-1'], {
      env: { PATH: process.env.PATH, ...env },
      cwd: path.dirname(file),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`nats-server did not start in ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const stop = () =>
      new Promise((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      });
    const onData = (chunk) => {
      output += chunk;
      const match = /Listening for client connections on [^\n]*:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ port: Number(match[1]), stop, output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited (${code}):\n${output}`));
    });
  });
}
