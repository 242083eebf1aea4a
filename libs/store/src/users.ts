import type { TotpAlgorithm } from '@tollgate/totp';
import type { Queryable } from './db.js';
import { claimSteps, type StepClaim } from './step-claims.js';

export type { StepClaim } from './step-claims.js';

export interface UserRecord {
  upn: string;
  displayName: string | null;
  enabled: boolean;
  /** Where fallback codes go by email (clients with fallbackCodes); null: none on file. */
  email: string | null;
  /** Where fallback codes go by SMS, in E.164 (`+41791234567`); null: none on file. */
  phone: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface UserWithToken extends UserRecord {
  token: TokenSummary | null;
  /** An unexpired pending token (made in the enrolment portal, first code not yet confirmed) exists. */
  pendingEnrollment: boolean;
}

/** What may be shown of a token: never the seed. */
export interface TokenSummary {
  digits: 6 | 8;
  period: 30 | 60;
  algorithm: TotpAlgorithm;
  source: 'generated' | 'hardware';
  serial: string | null;
  manufacturer: string | null;
  model: string | null;
  createdAt: Date;
}

/** The whole token as the otp-verifier needs it (seed still sealed). */
export interface TokenRecord extends TokenSummary {
  upn: string;
  secretSealed: string;
  lastStep: number | null;
}

interface UserRow {
  upn: string;
  display_name: string | null;
  enabled: boolean;
  email: string | null;
  phone: string | null;
  created_at: Date | string;
  updated_at: Date | string;
  t_digits: number | null;
  t_period: number | null;
  t_algorithm: TotpAlgorithm | null;
  t_source: 'generated' | 'hardware' | null;
  t_serial: string | null;
  t_manufacturer: string | null;
  t_model: string | null;
  t_created_at: Date | string | null;
  pending: boolean;
}

const USER_SELECT = `SELECT u.upn, u.display_name, u.enabled, u.email, u.phone, u.created_at, u.updated_at,
  t.digits AS t_digits, t.period AS t_period, t.algorithm AS t_algorithm, t.source AS t_source,
  t.serial AS t_serial, t.manufacturer AS t_manufacturer, t.model AS t_model, t.created_at AS t_created_at,
  EXISTS (SELECT 1 FROM pending_totp_tokens p WHERE p.upn = u.upn AND p.expires_at > now()) AS pending
  FROM users u LEFT JOIN totp_tokens t ON t.upn = u.upn`;

function toUser(row: UserRow): UserWithToken {
  return {
    upn: row.upn,
    displayName: row.display_name,
    enabled: row.enabled,
    email: row.email ?? null,
    phone: row.phone ?? null,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    token:
      row.t_digits === null
        ? null
        : {
            digits: row.t_digits as 6 | 8,
            period: row.t_period as 30 | 60,
            algorithm: row.t_algorithm!,
            source: row.t_source!,
            serial: row.t_serial,
            manufacturer: row.t_manufacturer,
            model: row.t_model,
            createdAt: new Date(row.t_created_at!),
          },
    pendingEnrollment: row.pending === true,
  };
}

/** The fallback-code addresses an admin may set; null clears one, absent keeps it. */
export interface ContactChanges {
  email?: string | null;
  phone?: string | null;
}

/** Where a user's fallback codes may be sent (the otp-verifier reads this, never the token). */
export interface UserContact {
  upn: string;
  enabled: boolean;
  email: string | null;
  phone: string | null;
}

export const users = {
  async contact(db: Queryable, upn: string): Promise<UserContact | null> {
    const { rows } = await db.query<UserContact>(`SELECT upn, enabled, email, phone FROM users WHERE upn = $1`, [upn]);
    return rows[0] ?? null;
  },

  async get(db: Queryable, upn: string): Promise<UserWithToken | null> {
    const { rows } = await db.query<UserRow>(`${USER_SELECT} WHERE u.upn = $1`, [upn]);
    return rows[0] ? toUser(rows[0]) : null;
  },

  /** Users in name order, `limit` at a time after `after` (keyset pagination). */
  async list(db: Queryable, options: { limit: number; after?: string; search?: string }): Promise<UserWithToken[]> {
    const { rows } = await db.query<UserRow>(
      `${USER_SELECT} WHERE ($1::text IS NULL OR u.upn > $1) AND ($2::text IS NULL OR u.upn LIKE '%' || $2 || '%')
       ORDER BY u.upn LIMIT $3`,
      [options.after ?? null, options.search ?? null, options.limit],
    );
    return rows.map(toUser);
  },

  /** Creates the user; false when it already exists. */
  async create(db: Queryable, user: { upn: string; displayName?: string | null; enabled?: boolean } & ContactChanges): Promise<boolean> {
    const { affected } = await db.query(
      `INSERT INTO users (upn, display_name, enabled, email, phone) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (upn) DO NOTHING`,
      [user.upn, user.displayName ?? null, user.enabled ?? true, user.email ?? null, user.phone ?? null],
    );
    return affected === 1;
  },

  /** Creates every user of `upns` that does not exist yet, in one statement; returns how many were created. */
  async createMany(db: Queryable, upns: readonly string[]): Promise<number> {
    if (upns.length === 0) return 0;
    const { affected } = await db.query(
      `INSERT INTO users (upn) SELECT v.upn FROM unnest($1::text[]) AS v(upn) ON CONFLICT (upn) DO NOTHING`,
      [unique(upns)],
    );
    return affected;
  },

  async update(db: Queryable, upn: string, changes: { displayName?: string | null; enabled?: boolean } & ContactChanges): Promise<boolean> {
    const { affected } = await db.query(
      `UPDATE users SET display_name = CASE WHEN $2 THEN $3 ELSE display_name END,
         enabled = COALESCE($4, enabled),
         email = CASE WHEN $5 THEN $6 ELSE email END, phone = CASE WHEN $7 THEN $8 ELSE phone END,
         updated_at = now() WHERE upn = $1`,
      [
        upn,
        changes.displayName !== undefined,
        changes.displayName ?? null,
        changes.enabled ?? null,
        changes.email !== undefined,
        changes.email ?? null,
        changes.phone !== undefined,
        changes.phone ?? null,
      ],
    );
    return affected === 1;
  },

  async remove(db: Queryable, upn: string): Promise<boolean> {
    const { affected } = await db.query(`DELETE FROM users WHERE upn = $1`, [upn]);
    return affected === 1;
  },

  /**
   * What the aggregator needs before asking the verifiers, for many users in one query (no seed).
   * A UPN absent from the map has no user record.
   */
  async profiles(db: Queryable, upns: readonly string[]): Promise<Map<string, UserProfileRecord>> {
    const { rows } = await db.query<{ upn: string; enabled: boolean; digits: number | null }>(
      `SELECT u.upn, u.enabled, t.digits FROM users u LEFT JOIN totp_tokens t ON t.upn = u.upn WHERE u.upn = ANY($1::text[])`,
      [unique(upns)],
      { name: 'tollgate_users_profiles' },
    );
    return new Map(rows.map((r) => [r.upn, { upn: r.upn, enabled: r.enabled, digits: r.digits === null ? null : (r.digits as 6 | 8) }]));
  },
};

/** A user as the aggregator sees it: enabled or not, and the digit count of its token if enrolled. */
export interface UserProfileRecord {
  upn: string;
  enabled: boolean;
  digits: 6 | 8 | null;
}

/** A user as the otp-verifier sees it: enabled or not, and its token with the seed still sealed. */
export interface TokenLookupRecord {
  upn: string;
  userEnabled: boolean;
  token: SealedToken | null;
}

export interface SealedToken {
  secretSealed: string;
  digits: 6 | 8;
  period: 30 | 60;
  algorithm: TotpAlgorithm;
}

const unique = (values: readonly string[]): string[] => [...new Set(values)];

interface TokenRow {
  upn: string;
  secret_sealed: string;
  digits: number;
  period: number;
  algorithm: TotpAlgorithm;
  source: 'generated' | 'hardware';
  serial: string | null;
  manufacturer: string | null;
  model: string | null;
  last_step: string | number | null;
  created_at: Date | string;
}

export interface NewToken {
  upn: string;
  secretSealed: string;
  digits: 6 | 8;
  period: 30 | 60;
  algorithm: TotpAlgorithm;
  source: 'generated' | 'hardware';
  serial?: string | null;
  manufacturer?: string | null;
  model?: string | null;
}

export const tokens = {
  /** The user's token joined with the user's enabled flag, for the otp-verifier and aggregator. */
  async get(db: Queryable, upn: string): Promise<(TokenRecord & { userEnabled: boolean }) | null> {
    const { rows } = await db.query<TokenRow & { enabled: boolean }>(
      `SELECT t.*, u.enabled FROM totp_tokens t JOIN users u ON u.upn = t.upn WHERE t.upn = $1`,
      [upn],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      upn: row.upn,
      secretSealed: row.secret_sealed,
      digits: row.digits as 6 | 8,
      period: row.period as 30 | 60,
      algorithm: row.algorithm,
      source: row.source,
      serial: row.serial,
      manufacturer: row.manufacturer,
      model: row.model,
      lastStep: row.last_step === null ? null : Number(row.last_step),
      createdAt: new Date(row.created_at),
      userEnabled: row.enabled,
    };
  },

  /** Sets (or replaces) the user's token; a new seed starts with no used step. */
  async put(db: Queryable, token: NewToken): Promise<void> {
    await db.query(
      `INSERT INTO totp_tokens (upn, secret_sealed, digits, period, algorithm, source, serial, manufacturer, model, last_step)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL)
       ON CONFLICT (upn) DO UPDATE SET secret_sealed = EXCLUDED.secret_sealed, digits = EXCLUDED.digits,
         period = EXCLUDED.period, algorithm = EXCLUDED.algorithm, source = EXCLUDED.source, serial = EXCLUDED.serial,
         manufacturer = EXCLUDED.manufacturer, model = EXCLUDED.model, last_step = NULL, created_at = now()`,
      [
        token.upn,
        token.secretSealed,
        token.digits,
        token.period,
        token.algorithm,
        token.source,
        token.serial ?? null,
        token.manufacturer ?? null,
        token.model ?? null,
      ],
    );
  },

  /**
   * `put` for many tokens in one statement (arrays joined with unnest, not one statement a row):
   * the same columns and the same replacement. A UPN given twice keeps its last token, as `put`
   * called in order would. Callers keep each call to a few thousand tokens.
   */
  async putMany(db: Queryable, many: readonly NewToken[]): Promise<void> {
    const last = [...new Map(many.map((token) => [token.upn, token])).values()];
    if (last.length === 0) return;
    await db.query(
      `INSERT INTO totp_tokens (upn, secret_sealed, digits, period, algorithm, source, serial, manufacturer, model, last_step)
       SELECT v.upn, v.secret_sealed, v.digits, v.period, v.algorithm, v.source, v.serial, v.manufacturer, v.model, NULL
       FROM unnest($1::text[], $2::text[], $3::smallint[], $4::smallint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
         AS v(upn, secret_sealed, digits, period, algorithm, source, serial, manufacturer, model)
       ON CONFLICT (upn) DO UPDATE SET secret_sealed = EXCLUDED.secret_sealed, digits = EXCLUDED.digits,
         period = EXCLUDED.period, algorithm = EXCLUDED.algorithm, source = EXCLUDED.source, serial = EXCLUDED.serial,
         manufacturer = EXCLUDED.manufacturer, model = EXCLUDED.model, last_step = NULL, created_at = now()`,
      [
        last.map((t) => t.upn),
        last.map((t) => t.secretSealed),
        last.map((t) => t.digits),
        last.map((t) => t.period),
        last.map((t) => t.algorithm),
        last.map((t) => t.source),
        last.map((t) => t.serial ?? null),
        last.map((t) => t.manufacturer ?? null),
        last.map((t) => t.model ?? null),
      ],
    );
  },

  async remove(db: Queryable, upn: string): Promise<boolean> {
    const { affected } = await db.query(`DELETE FROM totp_tokens WHERE upn = $1`, [upn]);
    return affected === 1;
  },

  /**
   * The replay guard: records `step` as used only if it is later than every step used before,
   * in one atomic statement. True when this call won; false means the step (or a later one)
   * was already used, by any replica, at any time, except that the request that claimed a step
   * (same `requestKey`) may claim it again within REPEAT_CLAIM_WINDOW_SECONDS of its first claim.
   * `nowMs` is the claimer's clock (see step-claims.ts).
   */
  async claimStep(db: Queryable, upn: string, step: number, requestKey?: string, nowMs: number = Date.now()): Promise<boolean> {
    const [won] = await claimSteps(db, [requestKey === undefined ? { upn, step } : { upn, step, requestKey }], nowMs);
    return won === true;
  },

  /**
   * The replay guard for many claims at once, with the result `claimStep` would give each if
   * they ran one after the other in the given order. Each statement is one atomic UPDATE in
   * which a UPN appears at most once (PostgreSQL re-checks `last_step < step` on the row it
   * locks, so a concurrent claim from any replica is seen); a second claim for the same UPN
   * goes in the next statement, after the first has been decided, or loses at once when its
   * step is not later than the first's (see step-claims.ts).
   */
  claimSteps(db: Queryable, claims: readonly StepClaim[], nowMs: number = Date.now()): Promise<boolean[]> {
    return claimSteps(db, claims, nowMs);
  },

  /**
   * What the otp-verifier needs of many users in one query: whether each exists and is enabled,
   * and its token (seed sealed). A UPN absent from the map has no user record.
   */
  async getMany(db: Queryable, upns: readonly string[]): Promise<Map<string, TokenLookupRecord>> {
    const { rows } = await db.query<{
      upn: string;
      enabled: boolean;
      secret_sealed: string | null;
      digits: number | null;
      period: number | null;
      algorithm: TotpAlgorithm | null;
    }>(
      `SELECT u.upn, u.enabled, t.secret_sealed, t.digits, t.period, t.algorithm
       FROM users u LEFT JOIN totp_tokens t ON t.upn = u.upn WHERE u.upn = ANY($1::text[])`,
      [unique(upns)],
      { name: 'tollgate_tokens_get_many' },
    );
    return new Map(
      rows.map((r) => [
        r.upn,
        {
          upn: r.upn,
          userEnabled: r.enabled,
          token:
            r.secret_sealed === null
              ? null
              : { secretSealed: r.secret_sealed, digits: r.digits as 6 | 8, period: r.period as 30 | 60, algorithm: r.algorithm! },
        },
      ]),
    );
  },
};
