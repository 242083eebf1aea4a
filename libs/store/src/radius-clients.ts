import type { Queryable } from './db.js';

export interface RadiusClientRecord {
  id: string;
  name: string;
  /** Canonical IP address or CIDR. */
  address: string;
  /** Sealed with context `radius-client:<id>`. */
  secretSealed: string;
  requireMessageAuthenticator: boolean;
  createdAt: Date;
}

interface Row {
  id: string;
  name: string;
  address: string;
  secret_sealed: string;
  require_message_authenticator: boolean;
  created_at: Date | string;
}

const toRecord = (r: Row): RadiusClientRecord => ({
  id: r.id,
  name: r.name,
  address: r.address,
  secretSealed: r.secret_sealed,
  requireMessageAuthenticator: r.require_message_authenticator,
  createdAt: new Date(r.created_at),
});

export const radiusClients = {
  async list(db: Queryable): Promise<RadiusClientRecord[]> {
    const { rows } = await db.query<Row>(`SELECT * FROM radius_clients ORDER BY name`);
    return rows.map(toRecord);
  },

  async get(db: Queryable, id: string): Promise<RadiusClientRecord | null> {
    const { rows } = await db.query<Row>(`SELECT * FROM radius_clients WHERE id = $1`, [id]);
    return rows[0] ? toRecord(rows[0]) : null;
  },

  /** Inserts a client; throws `{code: '23505'}` (unique violation) when the name or address is taken. */
  async create(db: Queryable, client: Omit<RadiusClientRecord, 'createdAt'>): Promise<void> {
    await db.query(
      `INSERT INTO radius_clients (id, name, address, secret_sealed, require_message_authenticator) VALUES ($1, $2, $3, $4, $5)`,
      [client.id, client.name, client.address, client.secretSealed, client.requireMessageAuthenticator],
    );
  },

  async update(
    db: Queryable,
    id: string,
    changes: { name?: string; secretSealed?: string; requireMessageAuthenticator?: boolean },
  ): Promise<boolean> {
    const { affected } = await db.query(
      `UPDATE radius_clients SET name = COALESCE($2, name), secret_sealed = COALESCE($3, secret_sealed),
         require_message_authenticator = COALESCE($4, require_message_authenticator) WHERE id = $1`,
      [id, changes.name ?? null, changes.secretSealed ?? null, changes.requireMessageAuthenticator ?? null],
    );
    return affected === 1;
  },

  async remove(db: Queryable, id: string): Promise<boolean> {
    const { affected } = await db.query(`DELETE FROM radius_clients WHERE id = $1`, [id]);
    return affected === 1;
  },
};
