import { DEFAULT_PASSWORD_SOURCES, PasswordSources, type OtpMode, type PasswordSource } from '@tollgate/contracts';
import type { Queryable } from './db.js';

export interface RadiusClientRecord {
  id: string;
  name: string;
  /** Canonical IP address or CIDR. */
  address: string;
  /** Sealed with context `radius-client:<id>`. */
  secretSealed: string;
  requireMessageAuthenticator: boolean;
  /** How the client's users enter their code (see OtpModes). */
  otpMode: OtpMode;
  /** The directories that check its users' passwords, in order (see PasswordSources). */
  passwordSources: PasswordSource[];
  /** Users may ask for a code by email or SMS in the challenge dialogue (off by default). */
  fallbackCodes: boolean;
  createdAt: Date;
}

interface Row {
  id: string;
  name: string;
  address: string;
  secret_sealed: string;
  require_message_authenticator: boolean;
  otp_mode: OtpMode;
  password_sources: unknown;
  fallback_codes?: boolean;
  created_at: Date | string;
}

const toRecord = (r: Row): RadiusClientRecord => ({
  id: r.id,
  name: r.name,
  address: r.address,
  secretSealed: r.secret_sealed,
  requireMessageAuthenticator: r.require_message_authenticator,
  otpMode: r.otp_mode,
  passwordSources: toSources(r.password_sources),
  fallbackCodes: r.fallback_codes === true,
  createdAt: new Date(r.created_at),
});

/** The stored list, or the default when it holds nothing Tollgate knows (written by hand, say). */
function toSources(value: unknown): PasswordSource[] {
  const list = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  const known = Array.isArray(list) ? list.filter((v): v is PasswordSource => (PasswordSources as readonly unknown[]).includes(v)) : [];
  return known.length > 0 ? [...new Set(known)] : [...DEFAULT_PASSWORD_SOURCES];
}

/** What an update may change; a field left out keeps its value. */
export interface RadiusClientChanges {
  name?: string;
  secretSealed?: string;
  requireMessageAuthenticator?: boolean;
  otpMode?: OtpMode;
  passwordSources?: PasswordSource[];
  fallbackCodes?: boolean;
}

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
  async create(
    db: Queryable,
    client: Omit<RadiusClientRecord, 'createdAt' | 'otpMode' | 'passwordSources' | 'fallbackCodes'> & {
      otpMode?: OtpMode;
      passwordSources?: PasswordSource[];
      fallbackCodes?: boolean;
    },
  ): Promise<void> {
    await db.query(
      `INSERT INTO radius_clients (id, name, address, secret_sealed, require_message_authenticator, otp_mode, password_sources, fallback_codes)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)`,
      [
        client.id,
        client.name,
        client.address,
        client.secretSealed,
        client.requireMessageAuthenticator,
        client.otpMode ?? 'append',
        JSON.stringify(client.passwordSources ?? DEFAULT_PASSWORD_SOURCES),
        client.fallbackCodes ?? false,
      ],
    );
  },

  async update(db: Queryable, id: string, changes: RadiusClientChanges): Promise<boolean> {
    const { affected } = await db.query(
      `UPDATE radius_clients SET name = COALESCE($2, name), secret_sealed = COALESCE($3, secret_sealed),
         require_message_authenticator = COALESCE($4, require_message_authenticator),
         otp_mode = COALESCE($5, otp_mode), password_sources = COALESCE($6::jsonb, password_sources),
         fallback_codes = COALESCE($7, fallback_codes) WHERE id = $1`,
      [
        id,
        changes.name ?? null,
        changes.secretSealed ?? null,
        changes.requireMessageAuthenticator ?? null,
        changes.otpMode ?? null,
        changes.passwordSources === undefined ? null : JSON.stringify(changes.passwordSources),
        changes.fallbackCodes ?? null,
      ],
    );
    return affected === 1;
  },

  async remove(db: Queryable, id: string): Promise<boolean> {
    const { affected } = await db.query(`DELETE FROM radius_clients WHERE id = $1`, [id]);
    return affected === 1;
  },
};
