/**
 * The README's commands, as a newcomer types them after `npm ci && npm run build`: `npx tollgate`
 * resolves through the bin npm linked at install time (a committed shim, since dist/ does not
 * exist yet when `npm ci` links bins), `npx tollgate --help` names every target, and
 * `npx tollgate run all` on embedded backends in an empty data directory becomes ready, prints its
 * banner and stops cleanly on SIGTERM. The shim itself says to build when dist/ is missing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeTcpPort, freeUdpPort } from '@tollgate/testkit';
import { SERVICE_NAMES } from '../service-registry.js';
import { EMBEDDED_UNSET } from './embedded-stack.js';
import { COMMON_TEST_ENV } from './stack.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const LAUNCHER = path.join(ROOT, 'libs/launcher');

/** The `sh` block of the README's "Running the services" section. */
async function readmeRunBlock(): Promise<string[]> {
  const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Running the services'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, 'README.md has a sh block under "Running the services"');
  return block.split('\n');
}

const childEnv = (extra: Record<string, string | undefined>): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...extra })) if (v !== undefined) env[k] = v;
  return env;
};

test("the README's install step and every target it runs are what the launcher knows", async () => {
  const lines = await readmeRunBlock();
  assert.ok(lines.includes('npm ci && npm run build'), 'the block starts from the install step');
  const targets = lines.flatMap((l) => /^npx tollgate run (\S+)/.exec(l)?.[1] ?? []);
  assert.deepEqual([...targets].sort(), [...SERVICE_NAMES, 'all'].sort());
});

test('the tollgate bin is a committed file, linked by npm, that runs the built launcher', async () => {
  const pkg = JSON.parse(await readFile(path.join(LAUNCHER, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  const bin = path.join(LAUNCHER, pkg.bin.tollgate!);
  assert.ok(!path.relative(LAUNCHER, bin).startsWith('dist'), 'not under dist/, which npm ci cannot link before a build');
  const tracked = spawnSync('git', ['ls-files', '--error-unmatch', path.relative(ROOT, bin)], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(tracked.status, 0, `${bin} is committed: ${tracked.stderr}`);
  assert.equal(await realpath(path.join(ROOT, 'node_modules/.bin/tollgate')), await realpath(bin));

  const help = spawnSync('npx', ['--no-install', 'tollgate', '--help'], { cwd: ROOT, encoding: 'utf8', env: childEnv({}) });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /^Usage:\n {2}tollgate run <target>\.\.\./);
  for (const name of SERVICE_NAMES) assert.ok(help.stdout.includes(name), name);
});

test('without a build, the bin says to build instead of failing obscurely', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'tollgate-unbuilt-'));
  try {
    await mkdir(path.join(dir, 'bin'));
    await copyFile(path.join(LAUNCHER, 'bin/tollgate.js'), path.join(dir, 'bin/tollgate.js'));
    const run = spawnSync(process.execPath, [path.join(dir, 'bin/tollgate.js'), 'run', 'all'], { encoding: 'utf8' });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /the launcher is not built yet .*run `npm run build` first/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('npx tollgate run all: ready on embedded backends in an empty data directory, banner printed, clean stop', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tollgate-readme-'));
  const [metricsPort, adminPort, radiusPort] = [await freeTcpPort(), await freeTcpPort(), await freeUdpPort()];
  // Its own process group, so the stop reaches npx and the launcher below it as Ctrl-C would.
  const child = spawn('npx', ['--no-install', 'tollgate', 'run', 'all'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: childEnv({
      ...EMBEDDED_UNSET,
      ...COMMON_TEST_ENV,
      TOLLGATE_DATA_DIR: dataDir,
      METRICS_PORT: String(metricsPort),
      METRICS_BIND: '127.0.0.1',
      ADMIN_PORT: String(adminPort),
      RADIUS_AUTH_PORT: String(radiusPort),
    }),
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // 'close': npx has exited and the launcher under it has closed the output it shares.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  try {
    const deadline = Date.now() + 60_000;
    let ready = false;
    while (!ready && Date.now() < deadline && child.exitCode === null) {
      ready = await fetch(`http://127.0.0.1:${metricsPort}/readyz`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (!ready) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(ready, `ready on /readyz in time:\n${output}`);
    while (!output.includes('Stop with Ctrl-C.') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.match(output, /Tollgate is running: all services in this process\./);
    assert.match(output, new RegExp(`RADIUS +udp 127\\.0\\.0\\.1:${radiusPort} \\(authentication, PAP\\)`));
    assert.match(output, new RegExp(`Admin API +http://127\\.0\\.0\\.1:${adminPort}/api/v1`));
    assert.ok(existsSync(path.join(dataDir, 'master.key')), 'the one-box data directory was created');
    process.kill(-child.pid!, 'SIGTERM');
    // npm passes the signal on and then ends by it itself; the launcher below it drains and exits 0.
    const { code, signal } = await exited;
    assert.ok(code === 0 || signal === 'SIGTERM', `npx ended with ${code ?? signal}:\n${output}`);
    assert.match(output, /"msg":"stopped"/);
    assert.doesNotMatch(output, /graceful stop took too long|second signal: exiting now|"level":"error"/);
  } finally {
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  }
});
