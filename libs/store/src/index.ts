export type { Db, Queryable, QueryResult } from './db.js';
export { PostgresDb, type PostgresDbOptions } from './postgres-db.js';
export { migrate, MIGRATIONS_DIR, type MigrationReport } from './migrate.js';
export * from './users.js';
export * from './radius-clients.js';
export * from './settings.js';
export * from './auth-events.js';
export { toUpn } from './upn.js';
