/**
 * `tollgate admin create` as an operator runs it, against a real PostgreSQL (DATABASE_URL) and the
 * embedded PGlite data directory: the password comes from stdin, the account then signs in through
 * the store's hash, a second create is refused unless `--replace`, and a weak password is refused
 * naming the field without echoing it.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyPassword } from '@tollgate/admin-api';
import { adminAccounts, PgliteDb, PostgresDb } from '@tollgate/store';
import { createTestDatabase } from '@tollgate/testkit';

const BIN = fileURLToPath(new URL('../../bin/tollgate.js', import.meta.url));
const PASSWORD = 'a-long-recovery-password';

function tollgate(args: string[], env: Record<string, string>, stdin: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
    child.stdin.end(stdin);
  });
}

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

async function scenario(env: Record<string, string>, open: () => Promise<{ get(u: string): Promise<unknown>; close(): Promise<void> }>) {
  const created = await tollgate(['admin', 'create', 'alice', '--role', 'admin'], env, `${PASSWORD}\n`);
  assert.equal(created.code, 0, created.out);
  assert.match(created.out, /admin account alice \(admin\) created/);
  const again = await tollgate(['admin', 'create', 'alice', '--role', 'admin'], env, `${PASSWORD}\n`);
  assert.notEqual(again.code, 0);
  assert.match(again.out, /--replace/);
  const weak = await tollgate(['admin', 'create', 'bob', '--role', 'auditor'], env, 'short\n');
  assert.notEqual(weak.code, 0);
  assert.match(weak.out, /password: must be at least 12 characters/);
  const replaced = await tollgate(['admin', 'create', 'alice', '--role', 'admin', '--replace'], env, `${PASSWORD}-2\n`);
  assert.equal(replaced.code, 0, replaced.out);
  for (const r of [created, again, weak, replaced]) assert.ok(!r.out.includes(PASSWORD), 'the password is never printed');
  const db = await open();
  const account = (await db.get('alice')) as { role: string; passwordHash: string } | null;
  await db.close();
  assert.equal(account?.role, 'admin');
  assert.equal(await verifyPassword(`${PASSWORD}-2`, account!.passwordHash), true, 'the replaced password verifies');
  assert.equal(await verifyPassword(PASSWORD, account!.passwordHash), false, 'the old one no longer does');
  assert.match(account!.passwordHash, /^scrypt\$N=32768,r=8,p=1\$/);
}

test('admin create on PostgreSQL (DATABASE_URL)', async () => {
  const database = await createTestDatabase('cli_admin');
  cleanups.push(() => database.drop());
  await scenario({ DATABASE_URL: database.url, TOLLGATE_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') }, async () => {
    const db = new PostgresDb({ url: database.url, max: 1 });
    return { get: (u) => adminAccounts.get(db, u), close: () => db.close() };
  });
});

test('admin create on the embedded database (TOLLGATE_DATA_DIR)', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'tollgate-cli-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const dataDir = path.join(dir, 'data');
  await scenario({ TOLLGATE_DATA_DIR: dataDir }, async () => {
    const db = await PgliteDb.open({ dataDir: path.join(dataDir, 'pglite') });
    return { get: (u) => adminAccounts.get(db, u), close: () => db.close() };
  });
});
