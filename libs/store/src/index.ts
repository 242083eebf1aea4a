export type { Db, Queryable, QueryOptions, QueryResult } from './db.js';
export { PostgresDb, type PostgresDbOptions } from './postgres-db.js';
export { migrate, MIGRATIONS_DIR, type MigrationReport } from './migrate.js';
export * from './users.js';
export * from './radius-clients.js';
export * from './settings.js';
export * from './auth-events.js';
export { toUpn } from './upn.js';
export { PgliteDb, type PgliteDbOptions } from './pglite-db.js';
