import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '@tollgate/config';
import { Keyring } from '@tollgate/security';
import { apiTokenSha256 } from '@tollgate/admin-api';
import {
  checkDataDir,
  DataDirError,
  dataDirLayout,
  ensureDataDir,
  readPrivateFile,
  resolveAdminToken,
  resolveMasterKey,
  writePrivateFileOnce,
} from './data-dir.js';
import { DataDirLock } from './data-dir-lock.js';

const roots: string[] = [];
async function freshLayout() {
  const root = await mkdtemp(path.join(tmpdir(), 'tollgate-data-'));
  roots.push(root);
  return dataDirLayout(path.join(root, 'data'));
}
after(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

const modeOf = async (file: string) => (await stat(file)).mode & 0o777;

test('a private file is written once, whole, with mode 0600, and no temporary is left', async () => {
  const layout = await freshLayout();
  await mkdir(layout.root, { mode: 0o700 });
  assert.equal(await writePrivateFileOnce(layout.masterKey, 'first\n'), true);
  assert.equal(await writePrivateFileOnce(layout.masterKey, 'second\n'), false);
  assert.equal(await readFile(layout.masterKey, 'utf8'), 'first\n');
  assert.equal(await modeOf(layout.masterKey), 0o600);
  assert.deepEqual(await readdir(layout.root), ['master.key']);
});

test('a private file others may read is refused with the command that fixes it', async () => {
  const layout = await freshLayout();
  assert.equal(await readPrivateFile(layout.masterKey), undefined);
  await mkdir(layout.root, { mode: 0o700 });
  await writeFile(layout.masterKey, `${Keyring.generateBase64()}\n`);
  await chmod(layout.masterKey, 0o640);
  await assert.rejects(
    readPrivateFile(layout.masterKey),
    (e: unknown) => e instanceof DataDirError && e.message.includes('mode 0640') && e.message.includes(`chmod 600 ${layout.masterKey}`),
  );
  await chmod(layout.masterKey, 0o600);
  assert.match((await readPrivateFile(layout.masterKey))!, /^[A-Za-z0-9+/=]+$/);
});

test('master key: created once for an embedded database, then reused', async () => {
  const layout = await freshLayout();
  const first = await resolveMasterKey(layout, { envKey: undefined, embeddedDatabase: true });
  assert.equal(first.source, 'created');
  assert.equal(Keyring.fromBase64(first.key) instanceof Keyring, true);
  assert.equal(await modeOf(layout.masterKey), 0o600);
  assert.equal(await modeOf(layout.root), 0o700);
  const second = await resolveMasterKey(layout, { envKey: undefined, embeddedDatabase: true });
  assert.deepEqual(second, { key: first.key, source: 'file' });
});

test('master key: TOLLGATE_MASTER_KEY wins and nothing is written', async () => {
  const layout = await freshLayout();
  const key = Keyring.generateBase64();
  assert.deepEqual(await resolveMasterKey(layout, { envKey: key, embeddedDatabase: true }), { key, source: 'env' });
  await assert.rejects(stat(layout.root), /ENOENT/);
});

test('master key: never generated for a shared PostgreSQL', async () => {
  const layout = await freshLayout();
  await assert.rejects(
    resolveMasterKey(layout, { envKey: undefined, embeddedDatabase: false }),
    (e: unknown) => e instanceof ConfigError && e.key === 'TOLLGATE_MASTER_KEY' && e.message.includes('DATABASE_URL'),
  );
  await assert.rejects(stat(layout.masterKey), /ENOENT/);
});

test('master key: a database without its key is refused, not given a new key', async () => {
  const layout = await freshLayout();
  await mkdir(layout.pglite, { recursive: true, mode: 0o700 });
  await writeFile(path.join(layout.pglite, 'PG_VERSION'), '17\n');
  await assert.rejects(
    resolveMasterKey(layout, { envKey: undefined, embeddedDatabase: true }),
    (e: unknown) => e instanceof DataDirError && e.message.includes('master.key is missing'),
  );
  await assert.rejects(stat(layout.masterKey), /ENOENT/);
});

test('master key: a file that holds no key is refused', async () => {
  const layout = await freshLayout();
  await mkdir(layout.root, { mode: 0o700 });
  await writeFile(layout.masterKey, 'not-a-key\n', { mode: 0o600 });
  await assert.rejects(
    resolveMasterKey(layout, { envKey: undefined, embeddedDatabase: true }),
    (e: unknown) => e instanceof DataDirError && e.message.includes('does not hold a master key'),
  );
});

test('admin token: created in memory, stored as a hash only by persist(), then read back', async () => {
  const layout = await freshLayout();
  assert.deepEqual(await resolveAdminToken(layout, { fromEnv: true, mayCreate: true }), { source: 'env' });
  assert.equal(await resolveAdminToken(layout, { fromEnv: false, mayCreate: false }), undefined);
  const created = await resolveAdminToken(layout, { fromEnv: false, mayCreate: true });
  assert.equal(created?.source, 'created');
  if (created?.source !== 'created') return;
  assert.ok(created.token.length >= 40);
  assert.equal(created.sha256, apiTokenSha256(created.token));
  await assert.rejects(stat(layout.adminTokenHash), /ENOENT/, 'nothing stored before persist()');
  await created.persist();
  assert.equal(await modeOf(layout.adminTokenHash), 0o600);
  const stored = await readFile(layout.adminTokenHash, 'utf8');
  assert.ok(!stored.includes(created.token), 'only the hash is at rest');
  assert.deepEqual(await resolveAdminToken(layout, { fromEnv: false, mayCreate: true }), { source: 'file', sha256: created.sha256 });
});

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

test('lock: one holder; a live holder refuses, a dead one is taken over; release removes it', async () => {
  const layout = await freshLayout();
  await mkdir(layout.root, { mode: 0o700 });
  const lock = await DataDirLock.acquire(layout.lock, layout.root);
  assert.equal(lock.staleFrom, undefined);
  assert.equal(await readFile(layout.lock, 'utf8'), `${process.pid}\n`);
  await lock.release();
  await assert.rejects(stat(layout.lock), /ENOENT/);

  const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
  try {
    await writeFile(layout.lock, `${sleeper.pid}\n`);
    await assert.rejects(
      DataDirLock.acquire(layout.lock, layout.root),
      (e: unknown) => e instanceof DataDirError && e.message.includes(`pid ${sleeper.pid}`) && e.message.includes(layout.lock),
    );
  } finally {
    sleeper.kill('SIGKILL');
  }

  const dead = await deadPid();
  await writeFile(layout.lock, `${dead}\n`);
  const taken = await DataDirLock.acquire(layout.lock, layout.root);
  assert.equal(taken.staleFrom, dead);
  assert.equal(await readFile(layout.lock, 'utf8'), `${process.pid}\n`);
  await taken.release();
});

// Modes of the data directory (or its pglite/) at start: [mode, refused?]. Any access for group or others is refused.
const dirModes: Array<[number, boolean]> = [
  [0o700, false],
  [0o750, true],
  [0o755, true],
  [0o711, true],
  [0o770, true],
  [0o707, true],
  [0o777, true],
];
for (const [mode, refused] of dirModes) {
  test(`data directory of mode ${mode.toString(8).padStart(4, '0')}: ${refused ? 'refused, with the chmod that fixes it' : 'accepted'}`, async () => {
    for (const which of ['root', 'pglite'] as const) {
      const layout = await freshLayout();
      await mkdir(layout.pglite, { recursive: true, mode: 0o700 });
      const dir = layout[which];
      await chmod(dir, mode);
      const starts = [
        () => ensureDataDir(layout),
        () => resolveMasterKey(layout, { envKey: undefined, embeddedDatabase: true }),
        () => resolveAdminToken(layout, { fromEnv: false, mayCreate: true }),
      ];
      for (const start of starts) {
        if (!refused) {
          await start();
          continue;
        }
        await assert.rejects(
          start(),
          (e: unknown) =>
            e instanceof DataDirError &&
            e.message.includes(`${dir} is accessible to other users (mode ${mode.toString(8).padStart(4, '0')})`) &&
            e.message.includes(`chmod 700 ${dir}`),
          `${which}`,
        );
      }
      if (refused) await assert.rejects(stat(layout.masterKey), /ENOENT/, 'nothing is written into a refused directory');
    }
  });
}

test('data directory: created 0700 when absent; absent is not an error; a file in its place is refused', async () => {
  const layout = await freshLayout();
  await checkDataDir(layout);
  await ensureDataDir(layout);
  assert.equal(await modeOf(layout.root), 0o700);
  const other = await freshLayout();
  await writeFile(other.root, 'x');
  await assert.rejects(checkDataDir(other), (e: unknown) => e instanceof DataDirError && e.message.includes('is not a directory'));
});
