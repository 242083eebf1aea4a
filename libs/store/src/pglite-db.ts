/**
 * The `Db` of the embedded install: PostgreSQL compiled to WebAssembly (PGlite), in this process,
 * on a data directory on disk. The same SQL and migrations as the real server run on it; results
 * are shaped like node-postgres's (int8 as a string, `affected` from the command tag), so no
 * repository can tell the two apart.
 *
 * PGlite is one session: every statement and transaction runs one at a time behind its own mutex,
 * so a transaction here is serializable by construction and a plain query waits for an open one.
 */
import { chmod, lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { Db, Queryable, QueryOptions, QueryResult } from './db.js';
import { withQuerySpan } from './query-span.js';

export interface PgliteDbOptions {
  /** A directory on disk (created if absent), or `memory://` for a throwaway database. */
  dataDir: string;
}

interface PgliteResult<R> {
  rows: R[];
  rowCount?: number;
  affectedRows?: number;
}

// node-postgres returns int8 (type 20: bigserial ids, count(*)) as text; PGlite would return a number.
const INT8 = 20;
const PARSERS = { [INT8]: (value: string) => value };

/**
 * PostgreSQL's default 128 MB of shared buffers live in PGlite's WebAssembly memory, which
 * touches them at start and never gives pages back: 16 MB keeps a one-box install's process
 * about 130 MiB smaller from the first second; the operating system's page cache still holds the
 * cluster's files, so a miss here is a read(2), not a disk seek.
 */
export const PGLITE_SHARED_BUFFERS = '16MB';

/** PGlite's errors carry the statement's `params`: strip them so no value can reach a log line. */
function scrub(error: unknown): unknown {
  if (error && typeof error === 'object') {
    for (const key of ['params', 'query', 'queryOptions']) {
      if (key in error) delete (error as Record<string, unknown>)[key];
    }
  }
  return error;
}

/** The directory a PGlite data dir names on this machine's disk; undefined for `memory://` and browser stores. */
export function diskPath(dataDir: string): string | undefined {
  if (dataDir.startsWith('file://')) return dataDir.slice('file://'.length);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(dataDir)) return undefined;
  return dataDir;
}

/**
 * PGlite's initialisation writes the new cluster's files with an explicit chmod to 0666 (no umask
 * stops that) and folders by the process umask, and a cluster may come from an older version or a
 * copy: every open takes group and world access off every file and folder below `dir` (symbolic
 * links are left alone). Files created later need nothing: once started, PostgreSQL sets its own
 * umask (0077) inside PGlite, so relation files and WAL segments are created 0600.
 */
export async function makePrivate(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) await makePrivate(full);
    const mode = (await lstat(full)).mode & 0o777;
    if ((mode & 0o077) !== 0) await chmod(full, mode & 0o700);
  }
  const own = (await lstat(dir)).mode & 0o777;
  if ((own & 0o077) !== 0) await chmod(dir, own & 0o700);
}

function toResult<R>(result: PgliteResult<R>): QueryResult<R> {
  // rowCount comes from the command tag of this one statement, as node-postgres's rowCount does.
  return { rows: result.rows, affected: result.rowCount ?? result.affectedRows ?? 0 };
}

export class PgliteDb implements Db {
  readonly kind = 'pglite' as const;
  readonly #pg: PGlite;
  #closed = false;

  private constructor(pg: PGlite) {
    this.#pg = pg;
  }

  /**
   * Opens (and on first use initialises) the database; resolves once it answers. On disk, every
   * file of the cluster is then private to this user (0600, folders 0700): see `makePrivate`.
   */
  static async open(options: PgliteDbOptions): Promise<PgliteDb> {
    const onDisk = diskPath(options.dataDir);
    // Loaded on demand: processes on a real PostgreSQL never load the WebAssembly build.
    const { PGlite } = await import('@electric-sql/pglite');
    const pg = await PGlite.create(options.dataDir, {
      parsers: PARSERS,
      startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`],
    });
    if (onDisk) {
      try {
        await makePrivate(onDisk);
      } catch (error) {
        await pg.close().catch(() => undefined);
        throw error;
      }
    }
    return new PgliteDb(pg);
  }

  query<R = Record<string, unknown>>(sql: string, params: unknown[] = [], options?: QueryOptions): Promise<QueryResult<R>> {
    return withQuerySpan('pglite', sql, options?.name, async () => {
      try {
        return toResult(await this.#pg.query<R>(sql, params));
      } catch (error) {
        throw scrub(error);
      }
    });
  }

  async exec(sql: string): Promise<void> {
    try {
      await this.#pg.exec(sql);
    } catch (error) {
      throw scrub(error);
    }
  }

  /** PGlite's own transaction: BEGIN/COMMIT under its mutex, ROLLBACK when `fn` throws. */
  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    try {
      return await this.#pg.transaction(async (inner) => {
        const tx: Queryable = {
          query: <R>(sql: string, params: unknown[] = [], options?: QueryOptions) =>
            withQuerySpan('pglite', sql, options?.name, async () => toResult(await inner.query<R>(sql, params))),
          exec: async (sql: string) => {
            await inner.exec(sql);
          },
        };
        return fn(tx);
      });
    } catch (error) {
      throw scrub(error);
    }
  }

  healthy(): boolean {
    return !this.#closed && !this.#pg.closed;
  }

  /** Shuts PostgreSQL down (a checkpoint), so the next open needs no recovery. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pg.close();
  }
}
