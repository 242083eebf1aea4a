import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NatsBus } from '@tollgate/bus';
import { subject } from '@tollgate/contracts';
import { Keyring, installationSeals, portalBusKey } from '@tollgate/security';
import { TEST_NATS_URL, TOLLGATE_MAIN, freeTcpPort, startTollgate, uniquePrefix } from '@tollgate/testkit';

/**
 * A process running only the enrolment portal starts with neither DATABASE_URL nor a master key:
 * `PORTAL_BUS_KEY` (as `tollgate keys portal` prints it) is all it holds, and with it it talks to a
 * process that has the master key.
 */
const cleanups: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

const MASTER = Keyring.generateBase64();
const keyring = Keyring.fromBase64(MASTER);
/** No backend URL but NATS, no key but the portal's (undefined drops what the test runner's environment has). */
const bare = { DATABASE_URL: undefined, REDIS_URL: undefined, TOLLGATE_MASTER_KEY: undefined, ADMIN_API_TOKEN: undefined };

test('tollgate keys portal prints the key derived from the master key, and nothing else', () => {
  const run = spawnSync(process.execPath, [TOLLGATE_MAIN, 'keys', 'portal'], {
    env: { ...process.env, TOLLGATE_MASTER_KEY: MASTER },
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, `${Buffer.from(portalBusKey(keyring)).toString('base64')}\n`);
  assert.ok(!run.stdout.includes(MASTER));
  const wrong = spawnSync(process.execPath, [TOLLGATE_MAIN, 'keys', 'master'], {
    env: { ...process.env, TOLLGATE_MASTER_KEY: MASTER },
    encoding: 'utf8',
  });
  assert.equal(wrong.status, 2);
  assert.equal(wrong.stdout, '');
});

test('a portal-only process starts with PORTAL_BUS_KEY alone (no DATABASE_URL, no master key) and serves pages from the far side', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tollgate-portal-only-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const prefix = uniquePrefix('portal-only');
  const responder = await NatsBus.connect({ servers: TEST_NATS_URL }, { seal: installationSeals(keyring) });
  cleanups.push(() => responder.drain());
  await responder.serve({
    name: 'portal-settings',
    version: '1.0.0',
    endpoints: [
      {
        name: 'settings',
        subject: subject(prefix, 'portalSettings'),
        handler: async () => ({
          publicUrl: 'https://enrol.contoso.test',
          organisationName: 'Contoso Portal Only',
          logo: null,
          issuer: 'Contoso',
          allowReplace: false,
          oidc: { enabled: false },
          links: { enabled: true },
        }),
      },
    ],
  });
  const port = await freeTcpPort();
  const portalKey = spawnSync(process.execPath, [TOLLGATE_MAIN, 'keys', 'portal'], {
    env: { ...process.env, TOLLGATE_MASTER_KEY: MASTER },
    encoding: 'utf8',
  }).stdout.trim();
  const proc = await startTollgate({
    targets: ['enrollment-portal'],
    env: {
      ...bare,
      NATS_URL: TEST_NATS_URL,
      NATS_SUBJECT_PREFIX: prefix,
      PORTAL_BUS_KEY: portalKey,
      PORTAL_PORT: String(port),
      PORTAL_BIND: '127.0.0.1',
      TOLLGATE_DATA_DIR: dataDir,
    },
  });
  cleanups.push(() => proc.stop());
  const page = await fetch(`http://127.0.0.1:${port}/`);
  assert.equal(page.status, 200);
  assert.ok((await page.text()).includes('Contoso Portal Only'));
  const ready = (await (await fetch(`http://127.0.0.1:${proc.metricsPort}/readyz`)).json()) as { checks: Record<string, boolean> };
  assert.deepEqual(Object.keys(ready.checks).sort(), ['bus', 'enrollment-portal', 'started']);
  assert.match(await proc.metrics(), /tollgate_portal_requests_total\{route="landing",outcome="ok"\} 1/);
  // It made no master key, no database, nothing in its data directory.
  assert.deepEqual(await readdir(dataDir), []);
  const log = proc.output.join('\n');
  assert.ok(!log.includes(portalKey) && !log.includes(MASTER), 'no key in the output');
  assert.equal(await proc.stop(), 0);
});

test('a portal-only process without PORTAL_BUS_KEY refuses to start, naming the key', async () => {
  const run = spawnSync(process.execPath, [TOLLGATE_MAIN, 'run', 'enrollment-portal'], {
    env: {
      ...process.env,
      ...Object.fromEntries(Object.keys(bare).map((k) => [k, ''])),
      NATS_URL: TEST_NATS_URL,
      METRICS_PORT: '0',
      PORTAL_PORT: '0',
    },
    encoding: 'utf8',
    timeout: 15_000,
  });
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, /PORTAL_BUS_KEY is required/);
});

test('without NATS the portal cannot run alone (it has nobody to ask)', () => {
  const run = spawnSync(process.execPath, [TOLLGATE_MAIN, 'run', 'enrollment-portal'], {
    env: { ...process.env, NATS_URL: '', DATABASE_URL: '', METRICS_PORT: '0' },
    encoding: 'utf8',
    timeout: 15_000,
  });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /unless NATS_URL is set/);
});
