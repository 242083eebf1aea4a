/**
 * The data directory (TOLLGATE_DATA_DIR) of an install that keeps its state on this machine:
 *
 *   master.key          0600  the master key, base64; created on the first start with an embedded database
 *   admin-token.sha256  0600  SHA-256 (hex) of the admin API token printed once on the first start
 *   pglite/             0700  the embedded PostgreSQL cluster (PGlite)
 *   tollgate.lock       0600  pid of the one process using pglite/
 *
 * Secret files are written whole or not at all (a private temporary file, synced, then hard-linked
 * into place, which fails if the name exists) and refused at start when other users may read them;
 * so is the directory itself (and `pglite/`) when other users may read, write or enter it.
 */
import { randomBytes } from 'node:crypto';
import { access, link, mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '@tollgate/config';
import { Keyring, randomToken } from '@tollgate/security';
import { apiTokenSha256 } from '@tollgate/admin-api/api-token';
import { TollgateError } from '@tollgate/contracts';

export interface DataDirLayout {
  root: string;
  masterKey: string;
  adminTokenHash: string;
  pglite: string;
  lock: string;
}

export function dataDirLayout(dir: string): DataDirLayout {
  const root = path.resolve(dir);
  return {
    root,
    masterKey: path.join(root, 'master.key'),
    adminTokenHash: path.join(root, 'admin-token.sha256'),
    pglite: path.join(root, 'pglite'),
    lock: path.join(root, 'tollgate.lock'),
  };
}

/** A data directory that cannot be used as it is; the message says how to fix it. */
export class DataDirError extends TollgateError<'data_dir'> {
  constructor(message: string) {
    super('data_dir', message);
  }
}

/** Creates the data directory (0700) if absent, and refuses one that other users may enter. */
export async function ensureDataDir(layout: DataDirLayout): Promise<void> {
  await mkdir(layout.root, { recursive: true, mode: 0o700 });
  await checkDataDir(layout);
}

const errno = (error: unknown): string | undefined => (error as NodeJS.ErrnoException).code;

const octal = (mode: number): string => mode.toString(8).padStart(4, '0');

/**
 * Refuses a data directory (or its `pglite/`) that group or others may read, write or enter:
 * the files inside are private, but a directory others may write lets them replace a file, and
 * one they may read lists what it holds. Absent is fine: nothing is in it yet.
 */
export async function checkDataDir(layout: DataDirLayout): Promise<void> {
  for (const dir of [layout.root, layout.pglite]) {
    let info: Stats;
    try {
      info = await stat(dir);
    } catch (error) {
      if (errno(error) === 'ENOENT') continue;
      throw error;
    }
    if (!info.isDirectory()) throw new DataDirError(`${dir} is not a directory`);
    const mode = info.mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new DataDirError(`${dir} is accessible to other users (mode ${octal(mode)}); make it private with: chmod 700 ${dir}`);
    }
  }
}

/** The trimmed content of a private file; undefined when absent; refused when others may access it. */
export async function readPrivateFile(file: string): Promise<string | undefined> {
  let info: Stats;
  try {
    info = await stat(file);
  } catch (error) {
    if (errno(error) === 'ENOENT') return undefined;
    throw error;
  }
  if (!info.isFile()) throw new DataDirError(`${file} is not a regular file`);
  const mode = info.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new DataDirError(`${file} is accessible to other users (mode ${octal(mode)}); make it private with: chmod 600 ${file}`);
  }
  return (await readFile(file, 'utf8')).trim();
}

/** Creates `file` (mode 0600) with `content`, complete or not at all; false if it already exists. */
export async function writePrivateFileOnce(file: string, content: string): Promise<boolean> {
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temporary, file);
  } catch (error) {
    if (errno(error) === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
  await syncDirectory(path.dirname(file));
  return true;
}

async function syncDirectory(dir: string): Promise<void> {
  // Makes the new name durable; not every platform lets a directory be synced, which is harmless.
  const handle = await open(dir, 'r').catch(() => undefined);
  await handle?.sync().catch(() => undefined);
  await handle?.close();
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

export type MasterKeySource = 'env' | 'file' | 'created';

/**
 * The master key: TOLLGATE_MASTER_KEY, else `master.key`, else (embedded database only) a new
 * one. A shared PostgreSQL never gets a generated key: every replica must hold the same one.
 */
export async function resolveMasterKey(
  layout: DataDirLayout,
  options: { envKey: string | undefined; embeddedDatabase: boolean },
): Promise<{ key: string; source: MasterKeySource }> {
  if (options.envKey) return { key: options.envKey, source: 'env' };
  await checkDataDir(layout);
  const stored = await readPrivateFile(layout.masterKey);
  if (stored !== undefined) {
    if (!isValidKey(stored)) throw new DataDirError(`${layout.masterKey} does not hold a master key (32 bytes, base64)`);
    return { key: stored, source: 'file' };
  }
  if (!options.embeddedDatabase) {
    throw new ConfigError(
      'tollgate',
      'TOLLGATE_MASTER_KEY',
      'is required with DATABASE_URL (32 random bytes, base64: openssl rand -base64 32); only the embedded database gets a generated key',
    );
  }
  if (await exists(path.join(layout.pglite, 'PG_VERSION'))) {
    // A new key could not open the secrets sealed under the lost one: say so rather than start.
    throw new DataDirError(
      `${layout.pglite} holds a database but ${layout.masterKey} is missing: restore that file (or set TOLLGATE_MASTER_KEY to the key it held); a new key could not open the secrets already stored`,
    );
  }
  await ensureDataDir(layout);
  const key = Keyring.generateBase64();
  if (!(await writePrivateFileOnce(layout.masterKey, `${key}\n`))) return resolveMasterKey(layout, options);
  return { key, source: 'created' };
}

function isValidKey(value: string): boolean {
  try {
    Keyring.fromBase64(value);
    return true;
  } catch {
    return false;
  }
}

export type AdminToken =
  | { source: 'env' }
  | { source: 'file'; sha256: string }
  /** New: `token` is shown once, after `persist()` has stored its hash. */
  | { source: 'created'; sha256: string; token: string; persist(): Promise<void> };

/**
 * The admin API token: ADMIN_API_TOKEN(_SHA256) when set, else the stored hash, else (when this
 * process is the only admin API: the in-process bus) a new random token. Its hash is stored only
 * by `persist()`, once the process started: a start that fails never leaves a token nobody saw.
 */
export async function resolveAdminToken(
  layout: DataDirLayout,
  options: { fromEnv: boolean; mayCreate: boolean },
): Promise<AdminToken | undefined> {
  if (options.fromEnv) return { source: 'env' };
  await checkDataDir(layout);
  const stored = await readPrivateFile(layout.adminTokenHash);
  if (stored !== undefined) {
    if (!/^[0-9a-f]{64}$/i.test(stored))
      throw new DataDirError(`${layout.adminTokenHash} does not hold a SHA-256 in hex; delete it and restart to get a new admin API token`);
    return { source: 'file', sha256: stored.toLowerCase() };
  }
  if (!options.mayCreate) return undefined;
  const token = randomToken(32);
  const sha256 = apiTokenSha256(token);
  return {
    source: 'created',
    sha256,
    token,
    async persist() {
      await ensureDataDir(layout);
      if (!(await writePrivateFileOnce(layout.adminTokenHash, `${sha256}\n`))) {
        throw new DataDirError(`${layout.adminTokenHash} appeared while starting: is another Tollgate using ${layout.root}?`);
      }
    },
  };
}
