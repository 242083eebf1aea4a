import type { TotpAlgorithm } from '@tollgate/totp';
import type { Db, Queryable } from './db.js';

/**
 * Tokens the enrolment portal made whose first code has not been confirmed. They live in their own
 * table: the RADIUS path reads `totp_tokens` only, so it cannot accept a code of a pending seed.
 * A row past `expires_at` counts as absent and is pruned when the next one is written.
 */
export interface PendingToken {
  upn: string;
  /** Sealed with `pendingTotpSeedContext(upn)`. */
  secretSealed: string;
  digits: 6 | 8;
  period: 30 | 60;
  algorithm: TotpAlgorithm;
  /** The state-store key of the portal session that made it: only that session may confirm it. */
  sessionKey: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface NewPendingToken {
  upn: string;
  secretSealed: string;
  digits: 6 | 8;
  period: 30 | 60;
  algorithm: TotpAlgorithm;
  sessionKey: string;
  expiresAt: Date;
}

/** What activation needs: the seed sealed again for `totp_tokens`, and the step of the accepted first code. */
export interface Activation {
  upn: string;
  sessionKey: string;
  /** Sealed with `totpSeedContext(upn)`. */
  secretSealed: string;
  /** The time step of the first code: stored as the token's last used step, so that code never works again. */
  lastStep: number;
  /** The enrolment link the session came from, spent in the same transaction. */
  linkId?: string | undefined;
}

export type ActivationResult =
  | { outcome: 'activated'; replaced: boolean }
  /** No unexpired pending token of that session (expired, replaced by another session, or already activated). */
  | { outcome: 'no_pending' }
  /** The link was used or revoked since the session opened; nothing changed. */
  | { outcome: 'link_spent' };

interface Row {
  upn: string;
  secret_sealed: string;
  digits: number;
  period: number;
  algorithm: TotpAlgorithm;
  session_key: string;
  created_at: Date | string;
  expires_at: Date | string;
}

const toPending = (row: Row): PendingToken => ({
  upn: row.upn,
  secretSealed: row.secret_sealed,
  digits: row.digits as 6 | 8,
  period: row.period as 30 | 60,
  algorithm: row.algorithm,
  sessionKey: row.session_key,
  createdAt: new Date(row.created_at),
  expiresAt: new Date(row.expires_at),
});

export const pendingTokens = {
  /** Sets (or replaces) the user's pending token, and prunes every expired one. */
  async put(db: Queryable, token: NewPendingToken): Promise<void> {
    await db.query(`DELETE FROM pending_totp_tokens WHERE expires_at <= now()`);
    await db.query(
      `INSERT INTO pending_totp_tokens (upn, secret_sealed, digits, period, algorithm, session_key, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (upn) DO UPDATE SET secret_sealed = EXCLUDED.secret_sealed, digits = EXCLUDED.digits,
         period = EXCLUDED.period, algorithm = EXCLUDED.algorithm, session_key = EXCLUDED.session_key,
         created_at = now(), expires_at = EXCLUDED.expires_at`,
      [token.upn, token.secretSealed, token.digits, token.period, token.algorithm, token.sessionKey, token.expiresAt],
    );
  },

  /** The user's unexpired pending token, or null. */
  async get(db: Queryable, upn: string): Promise<PendingToken | null> {
    const { rows } = await db.query<Row>(`SELECT * FROM pending_totp_tokens WHERE upn = $1 AND expires_at > now()`, [upn]);
    return rows[0] ? toPending(rows[0]) : null;
  },

  async remove(db: Queryable, upn: string): Promise<boolean> {
    const { affected } = await db.query(`DELETE FROM pending_totp_tokens WHERE upn = $1`, [upn]);
    return affected === 1;
  },

  /** Deletes every expired pending token; returns how many. */
  async prune(db: Queryable): Promise<number> {
    const { affected } = await db.query(`DELETE FROM pending_totp_tokens WHERE expires_at <= now()`);
    return affected;
  },

  /**
   * Makes the session's pending token the user's token, in one transaction: the pending row is
   * taken (locked, still unexpired, still this session's), the link (if any) is spent, the token
   * is upserted into `totp_tokens` (source `generated`, `last_step` the first code's step) and the
   * pending row deleted. Anything missing rolls it all back.
   */
  activate(db: Db, activation: Activation): Promise<ActivationResult> {
    return db.transaction(async (tx) => {
      const pending = await tx.query<Row>(
        `SELECT * FROM pending_totp_tokens WHERE upn = $1 AND session_key = $2 AND expires_at > now() FOR UPDATE`,
        [activation.upn, activation.sessionKey],
      );
      const row = pending.rows[0];
      if (!row) return { outcome: 'no_pending' } as const;
      if (activation.linkId !== undefined) {
        const spent = await tx.query(
          `UPDATE enrollment_links SET used_at = now()
           WHERE id = $1 AND upn = $2 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()`,
          [activation.linkId, activation.upn],
        );
        if (spent.affected !== 1) return { outcome: 'link_spent' } as const;
      }
      const existing = await tx.query(`SELECT 1 FROM totp_tokens WHERE upn = $1 FOR UPDATE`, [activation.upn]);
      await tx.query(
        `INSERT INTO totp_tokens (upn, secret_sealed, digits, period, algorithm, source, serial, manufacturer, model, last_step)
         VALUES ($1, $2, $3, $4, $5, 'generated', NULL, NULL, NULL, $6)
         ON CONFLICT (upn) DO UPDATE SET secret_sealed = EXCLUDED.secret_sealed, digits = EXCLUDED.digits,
           period = EXCLUDED.period, algorithm = EXCLUDED.algorithm, source = 'generated', serial = NULL,
           manufacturer = NULL, model = NULL, last_step = EXCLUDED.last_step, last_request_key = NULL,
           last_claimed_at = NULL, created_at = now()`,
        [activation.upn, activation.secretSealed, row.digits, row.period, row.algorithm, activation.lastStep],
      );
      await tx.query(`DELETE FROM pending_totp_tokens WHERE upn = $1`, [activation.upn]);
      return { outcome: 'activated', replaced: existing.rows.length > 0 } as const;
    });
  },
};
