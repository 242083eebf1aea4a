import type { Queryable } from './db.js';

/**
 * Entra ID connection settings as stored. `clientSecretSealed` is sealed with context
 * `settings:entra`; it is never returned by the admin API.
 */
export interface EntraSettings {
  enabled: boolean;
  tenantId: string;
  clientId: string;
  /** Appended to bare user names: `alice` -> `alice@<domain>`. */
  domain: string;
  authorityHost: string;
  scope: string;
  clientSecretSealed?: string | undefined;
}

export const DEFAULT_SCOPE = 'openid profile offline_access';

/** General policy settings an admin may change at run time. */
export interface PolicySettings {
  /** Failed codes before the second factor locks. */
  otpMaxFailures: number;
  /** How long a lock (and the failure window) lasts, in seconds. */
  otpLockoutSeconds: number;
}

export const DEFAULT_POLICY: PolicySettings = { otpMaxFailures: 5, otpLockoutSeconds: 900 };

export interface SettingsMap {
  entra: EntraSettings;
  policy: PolicySettings;
}

export const settings = {
  async get<K extends keyof SettingsMap>(db: Queryable, key: K): Promise<SettingsMap[K] | null> {
    const { rows } = await db.query<{ value: unknown }>(`SELECT value FROM settings WHERE key = $1`, [key]);
    if (!rows[0]) return null;
    const value = rows[0].value;
    return (typeof value === 'string' ? JSON.parse(value) : value) as SettingsMap[K];
  },

  async put<K extends keyof SettingsMap>(db: Queryable, key: K, value: SettingsMap[K]): Promise<void> {
    await db.query(
      `INSERT INTO settings (key, value) VALUES ($1, $2::jsonb)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [key, JSON.stringify(value)],
    );
  },
};
