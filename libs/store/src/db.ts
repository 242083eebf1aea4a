/**
 * The one database interface the store needs. `pg.Pool` and PGlite both satisfy it, so the
 * same SQL and migrations serve the distributed and the embedded install.
 */
export interface QueryResult<R> {
  rows: R[];
  /** Rows changed by INSERT/UPDATE/DELETE (pg: rowCount, PGlite: affectedRows). */
  affected: number;
}

/**
 * Hints for one query. An implementation may ignore any of them: they change cost, never results.
 */
export interface QueryOptions {
  /**
   * A stable name for a statement run on the hot path: PostgreSQL then parses and plans it once
   * per connection instead of once per call. One name must always mean the same SQL text.
   */
  name?: string;
}

export interface Db {
  readonly kind: 'postgres' | 'pglite';
  query<R = Record<string, unknown>>(sql: string, params?: unknown[], options?: QueryOptions): Promise<QueryResult<R>>;
  /** Runs a script of several statements with no parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in a transaction on one connection; rolls back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  healthy(): boolean;
  close(): Promise<void>;
}

export type Queryable = Pick<Db, 'query' | 'exec'>;
