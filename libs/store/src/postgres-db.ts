import pg from 'pg';
import type { Db, Queryable, QueryOptions, QueryResult } from './db.js';
import { withQuerySpan } from './query-span.js';

export interface PostgresDbOptions {
  url: string;
  /** Pool size; connections are opened once and reused (no per-request set-up). */
  max?: number;
}

/** A named query is prepared once per connection and then only bound and executed. */
function toConfig(text: string, values: unknown[], options: QueryOptions | undefined): pg.QueryConfig {
  return options?.name ? { name: options.name, text, values } : { text, values };
}

export class PostgresDb implements Db {
  readonly kind = 'postgres' as const;
  readonly #pool: pg.Pool;
  #healthy = true;

  constructor(options: PostgresDbOptions) {
    this.#pool = new pg.Pool({
      connectionString: options.url,
      max: options.max ?? 10,
      idleTimeoutMillis: 0,
      connectionTimeoutMillis: 3000,
      keepAlive: true,
    });
    this.#pool.on('error', () => {
      this.#healthy = false;
    });
  }

  query<R>(sql: string, params: unknown[] = [], options?: QueryOptions): Promise<QueryResult<R>> {
    return withQuerySpan('postgres', sql, options?.name, () => this.#query<R>(sql, params, options));
  }

  async #query<R>(sql: string, params: unknown[], options?: QueryOptions): Promise<QueryResult<R>> {
    try {
      const result = await this.#pool.query(toConfig(sql, params, options));
      this.#healthy = true;
      return { rows: result.rows as R[], affected: result.rowCount ?? 0 };
    } catch (error) {
      if ((error as { code?: string }).code === undefined) this.#healthy = false;
      throw error;
    }
  }

  async exec(sql: string): Promise<void> {
    await this.#pool.query(sql);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const tx = {
        query: <R>(sql: string, params: unknown[] = [], options?: QueryOptions): Promise<QueryResult<R>> =>
          withQuerySpan('postgres', sql, options?.name, async () => {
            const result = await client.query(toConfig(sql, params, options));
            return { rows: result.rows as R[], affected: result.rowCount ?? 0 };
          }),
        exec: async (sql: string): Promise<void> => {
          await client.query(sql);
        },
      };
      const value = await fn(tx);
      await client.query('COMMIT');
      return value;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Opens one connection now so a wrong URL fails at start, not on the first request. */
  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  healthy(): boolean {
    return this.#healthy;
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
