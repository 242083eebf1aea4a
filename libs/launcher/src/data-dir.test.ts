import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '@tollgate/config';
import { Keyring } from '@tollgate/security';
import { apiTokenSha256 } from '@tollgate/admin-api';
import { DataDirError, dataDirLayout, readPrivateFile, resolveAdminToken, resolveMasterKey, writePrivateFileOnce } from './data-dir.js';
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
  await mkdir(layout.root);
  assert.equal(await writePrivateFileOnce(layout.masterKey, 'first\n'), true);
  assert.equal(await writePrivateFileOnce(layout.masterKey, 'second\n'), false);
  assert.equal(await readFile(layout.masterKey, 'utf8'), 'first\n');
  assert.equal(await modeOf(layout.masterKey), 0o600);
  assert.deepEqual(await readdir(layout.root), ['master.key']);
});

test('a private file others may read is refused with the command that fixes it', async () => {
  const layout = await freshLayout();
  assert.equal(await readPrivateFile(layout.masterKey), undefined);
  await mkdir(layout.root);
  await writeFile(layout.masterKey, `${Keyring.generateBase64()}\n`);
  await chmod(layout.masterKey, 0o640);
  await assert.rejects(readPrivateFile(layout.masterKey), (e: unknown) => e instanceof DataDirError && e.message.includes('mode 0640') && e.message.includes(`chmod 600 ${layout.masterKey}`));
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
  await mkdir(layout.pglite, { recursive: true });
  await writeFile(path.join(layout.pglite, 'PG_VERSION'), '17\n');
  await assert.rejects(resolveMasterKey(layout, { envKey: undefined, embeddedDatabase: true }), (e: unknown) => e instanceof DataDirError && e.message.includes('master.key is missing'));
  await assert.rejects(stat(layout.masterKey), /ENOENT/);
});

test('master key: a file that holds no key is refused', async () => {
  const layout = await freshLayout();
  await mkdir(layout.root);
  await writeFile(layout.masterKey, 'not-a-key\n', { mode: 0o600 });
  await assert.rejects(resolveMasterKey(layout, { envKey: undefined, embeddedDatabase: true }), DataDirError);
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
  await mkdir(layout.root);
  const lock = await DataDirLock.acquire(layout.lock, layout.root);
  assert.equal(lock.staleFrom, undefined);
  assert.equal(await readFile(layout.lock, 'utf8'), `${process.pid}\n`);
  await lock.release();
  await assert.rejects(stat(layout.lock), /ENOENT/);

  const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
  try {
    await writeFile(layout.lock, `${sleeper.pid}\n`);
    await assert.rejects(DataDirLock.acquire(layout.lock, layout.root), (e: unknown) => e instanceof DataDirError && e.message.includes(`pid ${sleeper.pid}`) && e.message.includes(layout.lock));
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
