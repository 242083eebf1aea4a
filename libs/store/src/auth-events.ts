import type { Queryable } from './db.js';

export interface AuthEvent {
  at: Date;
  requestId: string;
  username: string;
  upn: string | null;
  clientName: string;
  clientAddress: string;
  decision: 'accept' | 'reject' | 'challenge';
  reason: string;
  aadsts: number | null;
  latencyMs: number | null;
}

interface Row {
  at: Date | string;
  request_id: string;
  username: string;
  upn: string | null;
  client_name: string;
  client_address: string;
  decision: 'accept' | 'reject' | 'challenge';
  reason: string;
  aadsts: number | null;
  latency_ms: number | null;
}

const COLUMNS = 10;

export const authEvents = {
  /** Inserts a batch in one statement (the aggregator buffers decisions and flushes them together). */
  async insertMany(db: Queryable, events: AuthEvent[]): Promise<void> {
    if (events.length === 0) return;
    const params: unknown[] = [];
    const tuples = events.map((e, i) => {
      params.push(e.at, e.requestId, e.username, e.upn, e.clientName, e.clientAddress, e.decision, e.reason, e.aadsts, e.latencyMs);
      const base = i * COLUMNS;
      return `(${Array.from({ length: COLUMNS }, (_, j) => `$${base + j + 1}`).join(', ')})`;
    });
    await db.query(
      `INSERT INTO auth_events (at, request_id, username, upn, client_name, client_address, decision, reason, aadsts, latency_ms)
       VALUES ${tuples.join(', ')}`,
      params,
    );
  },

  async latest(db: Queryable, options: { limit: number; upn?: string }): Promise<AuthEvent[]> {
    const { rows } = await db.query<Row>(
      `SELECT at, request_id, username, upn, client_name, client_address, decision, reason, aadsts, latency_ms
       FROM auth_events WHERE ($1::text IS NULL OR upn = $1 OR username = $1) ORDER BY at DESC, id DESC LIMIT $2`,
      [options.upn ?? null, options.limit],
    );
    return rows.map((r) => ({
      at: new Date(r.at),
      requestId: r.request_id,
      username: r.username,
      upn: r.upn,
      clientName: r.client_name,
      clientAddress: r.client_address,
      decision: r.decision,
      reason: r.reason,
      aadsts: r.aadsts,
      latencyMs: r.latency_ms,
    }));
  },

  /** Deletes up to `batch` events older than `before`, oldest first; returns how many went. */
  async pruneBatch(db: Queryable, before: Date, batch: number): Promise<number> {
    const { affected } = await db.query(
      `DELETE FROM auth_events WHERE id IN (SELECT id FROM auth_events WHERE at < $1 ORDER BY at, id LIMIT $2)`,
      [before, batch],
    );
    return affected;
  },
};
