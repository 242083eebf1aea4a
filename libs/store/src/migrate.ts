import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Db } from './db.js';

/** The SQL migrations shipped with the store, applied in file-name order. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

// An arbitrary constant: every replica takes the same advisory lock, so only one migrates at a time.
const MIGRATION_LOCK = 7_411_220_001;

export interface MigrationReport {
  applied: string[];
}

/**
 * Applies the migrations not yet recorded in `schema_migrations`, each in its own transaction,
 * under a transaction-scoped advisory lock so several replicas starting together are safe.
 * Idempotent: a second run applies nothing.
 */
export async function migrate(db: Db, dir: string = MIGRATIONS_DIR): Promise<MigrationReport> {
  const files = (await readdir(dir)).filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
  const applied: string[] = [];
  for (const file of files) {
    const sql = await readFile(path.join(dir, file), 'utf8');
    await db.transaction(async (tx) => {
      // Everything, the bookkeeping table included, happens under the lock: replicas racing on
      // CREATE TABLE IF NOT EXISTS would otherwise collide in the catalog.
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
      const done = await tx.query('SELECT 1 FROM schema_migrations WHERE name = $1', [file]);
      if (done.rows.length > 0) return;
      await tx.exec(sql);
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
      applied.push(file);
    });
  }
  return { applied };
}
