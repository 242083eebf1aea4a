import type { Queryable } from './db.js';

export interface ApiTokenRecord {
  name: string;
  role: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

interface Row {
  name: string;
  role: string;
  created_at: Date | string;
  last_used_at: Date | string | null;
}

const toRecord = (r: Row): ApiTokenRecord => ({
  name: r.name,
  role: r.role,
  createdAt: new Date(r.created_at),
  lastUsedAt: r.last_used_at === null ? null : new Date(r.last_used_at),
});

/** Named API tokens; only the SHA-256 of a token is stored, and no method returns it. */
export const apiTokens = {
  async list(db: Queryable): Promise<ApiTokenRecord[]> {
    const { rows } = await db.query<Row>(`SELECT name, role, created_at, last_used_at FROM api_tokens ORDER BY name`);
    return rows.map(toRecord);
  },

  /** False when the name is taken. */
  async create(db: Queryable, token: { name: string; role: string; sha256: string }): Promise<boolean> {
    const { affected } = await db.query(
      `INSERT INTO api_tokens (name, role, token_sha256) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING`,
      [token.name, token.role, token.sha256],
    );
    return affected === 1;
  },

  /** The token whose hash this is, its last use stamped; null when none. The lookup is by hash, an index probe. */
  async use(db: Queryable, sha256: string): Promise<ApiTokenRecord | null> {
    const { rows } = await db.query<Row>(
      `UPDATE api_tokens SET last_used_at = now() WHERE token_sha256 = $1 RETURNING name, role, created_at, last_used_at`,
      [sha256],
      { name: 'api_tokens_use' },
    );
    return rows[0] ? toRecord(rows[0]) : null;
  },

  async remove(db: Queryable, name: string): Promise<boolean> {
    const { affected } = await db.query(`DELETE FROM api_tokens WHERE name = $1`, [name]);
    return affected === 1;
  },
};
