/**
 * Aggregates of the authentication log for the console's dashboard and user page. Every query is
 * bounded by time on the `auth_events_at` index, or by user on `auth_events_upn_at`.
 */
import type { Queryable } from './db.js';

export type AuthDecision = 'accept' | 'reject' | 'challenge';

/** How many decisions of one kind and reason fell into the time bucket starting at `bucket`. */
export interface AuthCount {
  bucket: Date;
  decision: AuthDecision;
  reason: string;
  count: number;
}

export interface FailingUser {
  username: string;
  rejects: number;
  lastAt: Date;
}

export interface FailingClient {
  clientName: string;
  clientAddress: string;
  rejects: number;
}

/** A user's latest decision of one kind. */
export interface LastOutcome {
  at: Date;
  reason: string;
  clientName: string;
}

export const authStats = {
  /** Counts since `from` by bucket (epoch-aligned, `bucketSeconds` wide), decision and reason. */
  async counts(db: Queryable, options: { from: Date; bucketSeconds: number }): Promise<AuthCount[]> {
    const { rows } = await db.query<{ bucket: Date | string; decision: AuthDecision; reason: string; count: number }>(
      `SELECT to_timestamp(floor(extract(epoch FROM at) / $2::int) * $2::int) AS bucket, decision, reason, count(*)::int AS count
       FROM auth_events WHERE at >= $1 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      [options.from, options.bucketSeconds],
    );
    return rows.map((r) => ({ bucket: new Date(r.bucket), decision: r.decision, reason: r.reason, count: Number(r.count) }));
  },

  /** The users with the most rejects since `from` (the UPN when known, else the name as sent). */
  async failingUsers(db: Queryable, options: { from: Date; limit: number }): Promise<FailingUser[]> {
    const { rows } = await db.query<{ username: string; rejects: number; last_at: Date | string }>(
      `SELECT coalesce(upn, username) AS username, count(*)::int AS rejects, max(at) AS last_at
       FROM auth_events WHERE at >= $1 AND decision = 'reject' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT $2`,
      [options.from, options.limit],
    );
    return rows.map((r) => ({ username: r.username, rejects: Number(r.rejects), lastAt: new Date(r.last_at) }));
  },

  /** The RADIUS clients with the most rejects since `from`. */
  async failingClients(db: Queryable, options: { from: Date; limit: number }): Promise<FailingClient[]> {
    const { rows } = await db.query<{ client_name: string; client_address: string; rejects: number }>(
      `SELECT client_name, client_address, count(*)::int AS rejects
       FROM auth_events WHERE at >= $1 AND decision = 'reject' GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT $2`,
      [options.from, options.limit],
    );
    return rows.map((r) => ({ clientName: r.client_name, clientAddress: r.client_address, rejects: Number(r.rejects) }));
  },

  /** The user's latest decision of the given kind, or null. */
  async last(db: Queryable, upn: string, decision: AuthDecision): Promise<LastOutcome | null> {
    const { rows } = await db.query<{ at: Date | string; reason: string; client_name: string }>(
      `SELECT at, reason, client_name FROM auth_events WHERE upn = $1 AND decision = $2 ORDER BY at DESC LIMIT 1`,
      [upn, decision],
    );
    const row = rows[0];
    return row ? { at: new Date(row.at), reason: row.reason, clientName: row.client_name } : null;
  },
};
