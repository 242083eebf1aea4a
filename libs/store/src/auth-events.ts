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

export interface AuthEventQuery {
  limit: number;
  upn?: string;
  reason?: string;
  decision?: AuthEvent['decision'];
  clientName?: string;
  since?: Date;
  until?: Date;
}

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

  /**
   * The newest events first, at most `limit`, narrowed by any of: the user (UPN or name as sent),
   * the reason (exact, or a prefix ending in `.` such as `otp.`), the decision, the RADIUS client's
   * name, and a time range (`since` included, `until` excluded).
   */
  async latest(db: Queryable, options: AuthEventQuery): Promise<AuthEvent[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: (p: string) => string, value: unknown): void => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (options.upn !== undefined) add((p) => `(upn = ${p} OR username = ${p})`, options.upn);
    if (options.reason !== undefined) {
      if (options.reason.endsWith('.')) add((p) => `starts_with(reason, ${p})`, options.reason);
      else add((p) => `reason = ${p}`, options.reason);
    }
    if (options.decision !== undefined) add((p) => `decision = ${p}`, options.decision);
    if (options.clientName !== undefined) add((p) => `client_name = ${p}`, options.clientName);
    if (options.since !== undefined) add((p) => `at >= ${p}`, options.since);
    if (options.until !== undefined) add((p) => `at < ${p}`, options.until);
    params.push(options.limit);
    const { rows } = await db.query<Row>(
      `SELECT at, request_id, username, upn, client_name, client_address, decision, reason, aadsts, latency_ms
       FROM auth_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT $${params.length}`,
      params,
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
