import type { Queryable } from './db.js';

export interface AdminAuditEntry {
  actor: string;
  /** `portal`: a user's own step in the self-service enrolment portal. */
  actorKind: 'token' | 'account' | 'portal';
  role: string;
  source: string;
  action: string;
  target: string;
  outcome: string;
  /** Never a secret value. */
  details: Record<string, unknown>;
}

export interface AdminAuditRecord extends AdminAuditEntry {
  id: string;
  at: Date;
}

interface Row {
  id: string | number;
  at: Date | string;
  actor: string;
  actor_kind: 'token' | 'account' | 'portal';
  role: string;
  source: string;
  action: string;
  target: string;
  outcome: string;
  details: Record<string, unknown> | string;
}

const toRecord = (r: Row): AdminAuditRecord => ({
  id: String(r.id),
  at: new Date(r.at),
  actor: r.actor,
  actorKind: r.actor_kind,
  role: r.role,
  source: r.source,
  action: r.action,
  target: r.target,
  outcome: r.outcome,
  details: typeof r.details === 'string' ? (JSON.parse(r.details) as Record<string, unknown>) : r.details,
});

export interface AdminAuditQuery {
  limit: number;
  /** Entries older than this id (the `next` of the previous page). */
  before?: string;
  actor?: string;
  /** An exact action, or a prefix ending in `.` (`user.`). */
  action?: string;
  target?: string;
  since?: Date;
  until?: Date;
}

export const adminAudit = {
  async record(db: Queryable, entry: AdminAuditEntry): Promise<void> {
    await db.query(
      `INSERT INTO admin_audit_log (actor, actor_kind, role, source, action, target, outcome, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [entry.actor, entry.actorKind, entry.role, entry.source, entry.action, entry.target, entry.outcome, JSON.stringify(entry.details)],
    );
  },

  /** Newest first. */
  async list(db: Queryable, query: AdminAuditQuery): Promise<AdminAuditRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: (p: string) => string, value: unknown): void => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (query.before !== undefined) add((p) => `id < ${p}::bigint`, query.before);
    if (query.actor !== undefined) add((p) => `actor = ${p}`, query.actor);
    if (query.action !== undefined) {
      if (query.action.endsWith('.')) add((p) => `starts_with(action, ${p})`, query.action);
      else add((p) => `action = ${p}`, query.action);
    }
    if (query.target !== undefined) add((p) => `target = ${p}`, query.target);
    if (query.since !== undefined) add((p) => `at >= ${p}`, query.since);
    if (query.until !== undefined) add((p) => `at < ${p}`, query.until);
    params.push(query.limit);
    const { rows } = await db.query<Row>(
      `SELECT * FROM admin_audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toRecord);
  },
};
