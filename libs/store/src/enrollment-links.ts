import type { Queryable } from './db.js';

/**
 * Enrolment links an admin (or helpdesk) sends a user: the link's secret is shown once and only
 * its SHA-256 is stored. A link is spent when the token it led to is activated.
 */
export interface EnrollmentLink {
  id: string;
  upn: string;
  tokenSha256: Buffer;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

export type EnrollmentLinkStatus = 'active' | 'used' | 'expired' | 'revoked';

/** A link's state at `nowMs`: revoked before used before expired (each is final). */
export function enrollmentLinkStatus(
  link: Pick<EnrollmentLink, 'expiresAt' | 'usedAt' | 'revokedAt'>,
  nowMs: number,
): EnrollmentLinkStatus {
  if (link.revokedAt !== null) return 'revoked';
  if (link.usedAt !== null) return 'used';
  if (link.expiresAt.getTime() <= nowMs) return 'expired';
  return 'active';
}

interface Row {
  id: string;
  upn: string;
  token_sha256: Uint8Array;
  created_by: string;
  created_at: Date | string;
  expires_at: Date | string;
  used_at: Date | string | null;
  revoked_at: Date | string | null;
}

const date = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));

const toLink = (row: Row): EnrollmentLink => ({
  id: row.id,
  upn: row.upn,
  tokenSha256: Buffer.from(row.token_sha256),
  createdBy: row.created_by,
  createdAt: new Date(row.created_at),
  expiresAt: new Date(row.expires_at),
  usedAt: date(row.used_at),
  revokedAt: date(row.revoked_at),
});

export const enrollmentLinks = {
  async create(
    db: Queryable,
    link: { id: string; upn: string; tokenSha256: Buffer; createdBy: string; expiresAt: Date },
  ): Promise<EnrollmentLink> {
    const { rows } = await db.query<Row>(
      `INSERT INTO enrollment_links (id, upn, token_sha256, created_by, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [link.id, link.upn, link.tokenSha256, link.createdBy, link.expiresAt],
    );
    return toLink(rows[0]!);
  },

  /** The user's links, newest first. */
  async list(db: Queryable, upn: string): Promise<EnrollmentLink[]> {
    const { rows } = await db.query<Row>(`SELECT * FROM enrollment_links WHERE upn = $1 ORDER BY created_at DESC, id`, [upn]);
    return rows.map(toLink);
  },

  /** The link whose secret has this SHA-256, or null. */
  async byHash(db: Queryable, tokenSha256: Buffer): Promise<EnrollmentLink | null> {
    const { rows } = await db.query<Row>(`SELECT * FROM enrollment_links WHERE token_sha256 = $1`, [tokenSha256]);
    return rows[0] ? toLink(rows[0]) : null;
  },

  async get(db: Queryable, id: string): Promise<EnrollmentLink | null> {
    const { rows } = await db.query<Row>(`SELECT * FROM enrollment_links WHERE id = $1`, [id]);
    return rows[0] ? toLink(rows[0]) : null;
  },

  /** Revokes the user's link `id` (a revoked one stays revoked at its first time); false when the user has no such link. */
  async revoke(db: Queryable, upn: string, id: string): Promise<boolean> {
    const { affected } = await db.query(`UPDATE enrollment_links SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 AND upn = $2`, [
      id,
      upn,
    ]);
    return affected === 1;
  },
};
