import type { Queryable } from './db.js';

export interface AdminAccountRecord {
  username: string;
  passwordHash: string;
  role: string;
  totpSeedSealed: string | null;
  totpPendingSealed: string | null;
  disabled: boolean;
  createdAt: Date;
  lastSignInAt: Date | null;
}

interface Row {
  username: string;
  password_hash: string;
  role: string;
  totp_seed_sealed: string | null;
  totp_pending_sealed: string | null;
  disabled: boolean;
  created_at: Date | string;
  last_sign_in_at: Date | string | null;
}

const toRecord = (r: Row): AdminAccountRecord => ({
  username: r.username,
  passwordHash: r.password_hash,
  role: r.role,
  totpSeedSealed: r.totp_seed_sealed,
  totpPendingSealed: r.totp_pending_sealed,
  disabled: r.disabled,
  createdAt: new Date(r.created_at),
  lastSignInAt: r.last_sign_in_at === null ? null : new Date(r.last_sign_in_at),
});

const COLUMNS = 'username, password_hash, role, totp_seed_sealed, totp_pending_sealed, disabled, created_at, last_sign_in_at';

/** A change that would leave no enabled admin account; the caller answers 409. */
export const LAST_ADMIN = 'last_admin' as const;

/** Enabled admins other than `username`, counted under a row lock of the admins (serialises demotions). */
async function otherEnabledAdmins(db: Queryable, username: string): Promise<number> {
  const { rows } = await db.query<{ username: string }>(
    `SELECT username FROM admin_accounts WHERE role = 'admin' AND NOT disabled AND username <> $1 FOR UPDATE`,
    [username],
  );
  return rows.length;
}

export const adminAccounts = {
  async list(db: Queryable): Promise<AdminAccountRecord[]> {
    const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM admin_accounts ORDER BY username`);
    return rows.map(toRecord);
  },

  async get(db: Queryable, username: string): Promise<AdminAccountRecord | null> {
    const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM admin_accounts WHERE username = $1`, [username]);
    return rows[0] ? toRecord(rows[0]) : null;
  },

  /** False when the name is taken. */
  async create(db: Queryable, account: { username: string; passwordHash: string; role: string }): Promise<boolean> {
    const { affected } = await db.query(
      `INSERT INTO admin_accounts (username, password_hash, role) VALUES ($1, $2, $3) ON CONFLICT (username) DO NOTHING`,
      [account.username, account.passwordHash, account.role],
    );
    return affected === 1;
  },

  /**
   * Changes an account inside the caller's transaction; `LAST_ADMIN` when the change would leave
   * no enabled admin, false when there is no such account. A new password ends the account's sessions.
   */
  async update(
    tx: Queryable,
    username: string,
    changes: { passwordHash?: string; role?: string; disabled?: boolean },
  ): Promise<boolean | typeof LAST_ADMIN> {
    const current = await adminAccounts.get(tx, username);
    if (!current) return false;
    const demotes = current.role === 'admin' && !current.disabled && ((changes.role ?? 'admin') !== 'admin' || changes.disabled === true);
    if (demotes && (await otherEnabledAdmins(tx, username)) === 0) return LAST_ADMIN;
    await tx.query(
      `UPDATE admin_accounts SET password_hash = COALESCE($2, password_hash), role = COALESCE($3, role),
         disabled = COALESCE($4, disabled) WHERE username = $1`,
      [username, changes.passwordHash ?? null, changes.role ?? null, changes.disabled ?? null],
    );
    if (changes.passwordHash !== undefined || changes.disabled === true || changes.role !== undefined) {
      await tx.query(`DELETE FROM admin_sessions WHERE username = $1`, [username]);
    }
    return true;
  },

  /** Inside the caller's transaction; `LAST_ADMIN` when it is the last enabled admin. */
  async remove(tx: Queryable, username: string): Promise<boolean | typeof LAST_ADMIN> {
    const current = await adminAccounts.get(tx, username);
    if (!current) return false;
    if (current.role === 'admin' && !current.disabled && (await otherEnabledAdmins(tx, username)) === 0) return LAST_ADMIN;
    const { affected } = await tx.query(`DELETE FROM admin_accounts WHERE username = $1`, [username]);
    return affected === 1;
  },

  async setPendingTotp(db: Queryable, username: string, sealed: string): Promise<void> {
    await db.query(`UPDATE admin_accounts SET totp_pending_sealed = $2 WHERE username = $1`, [username, sealed]);
  },

  /** Makes the pending seed the account's, its code's step used; false when none was pending. */
  async confirmTotp(db: Queryable, username: string, step: number): Promise<boolean> {
    const { affected } = await db.query(
      `UPDATE admin_accounts SET totp_seed_sealed = totp_pending_sealed, totp_pending_sealed = NULL, totp_last_step = $2
       WHERE username = $1 AND totp_pending_sealed IS NOT NULL`,
      [username, step],
    );
    return affected === 1;
  },

  /** Claims a code's time step; false when it (or a later one) was used already: a code works once. */
  async claimTotpStep(db: Queryable, username: string, step: number): Promise<boolean> {
    const { affected } = await db.query(
      `UPDATE admin_accounts SET totp_last_step = $2 WHERE username = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)`,
      [username, step],
    );
    return affected === 1;
  },

  async signedIn(db: Queryable, username: string): Promise<void> {
    await db.query(`UPDATE admin_accounts SET last_sign_in_at = now() WHERE username = $1`, [username]);
  },
};

export interface AdminSessionRecord {
  username: string;
  role: string;
  csrfToken: string;
  /** Whether the account has a confirmed TOTP of its own. */
  hasTotp: boolean;
  createdAt: Date;
  lastSeenAt: Date;
}

export const adminSessions = {
  async create(db: Queryable, session: { idSha256: string; username: string; csrfToken: string }): Promise<void> {
    await db.query(`INSERT INTO admin_sessions (id_sha256, username, csrf_token) VALUES ($1, $2, $3)`, [
      session.idSha256,
      session.username,
      session.csrfToken,
    ]);
  },

  /** The session with its account's current role; null when absent or its account is disabled. */
  async get(db: Queryable, idSha256: string): Promise<AdminSessionRecord | null> {
    const { rows } = await db.query<{
      username: string;
      role: string;
      csrf_token: string;
      has_totp: boolean;
      created_at: Date | string;
      last_seen_at: Date | string;
    }>(
      `SELECT s.username, a.role, s.csrf_token, a.totp_seed_sealed IS NOT NULL AS has_totp, s.created_at, s.last_seen_at
       FROM admin_sessions s JOIN admin_accounts a ON a.username = s.username WHERE s.id_sha256 = $1 AND NOT a.disabled`,
      [idSha256],
      { name: 'admin_sessions_get_with_totp' },
    );
    const r = rows[0];
    if (!r) return null;
    return {
      username: r.username,
      role: r.role,
      csrfToken: r.csrf_token,
      hasTotp: r.has_totp,
      createdAt: new Date(r.created_at),
      lastSeenAt: new Date(r.last_seen_at),
    };
  },

  async touch(db: Queryable, idSha256: string): Promise<void> {
    await db.query(`UPDATE admin_sessions SET last_seen_at = now() WHERE id_sha256 = $1`, [idSha256], { name: 'admin_sessions_touch' });
  },

  async remove(db: Queryable, idSha256: string): Promise<void> {
    await db.query(`DELETE FROM admin_sessions WHERE id_sha256 = $1`, [idSha256]);
  },
};
