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

/**
 * LDAP / Active Directory connection settings as stored. `bindPasswordSealed` is sealed with
 * context `settings:ldap`; it is never returned by the admin API. `urls` are tried in order on a
 * connection failure; an `ldap://` url needs `startTls` unless `allowInsecure`.
 */
export interface LdapSettings {
  enabled: boolean;
  urls: string[];
  startTls: boolean;
  allowInsecure: boolean;
  /** PEM of the CA(s) that sign the servers' certificates; absent: the system's trust store. */
  caCertificate?: string | undefined;
  bindDn: string;
  bindPasswordSealed?: string | undefined;
  baseDn: string;
  /** A filter template: `{local}` the canonical user name before `@`, `{upn}` all of it (each escaped per RFC 4515). */
  userFilter: string;
  /** Attribute of the user entry that lists the user's groups by DN (`memberOf`); empty: none read. */
  groupAttribute: string;
  /** A search for the user's groups instead (or besides): a template with `{dn}`, e.g. `(&(objectClass=groupOfNames)(member={dn}))`. */
  groupFilter?: string | undefined;
  /** Deadline of each directory operation (connect, search, bind), in ms. */
  timeoutMs: number;
}

export const DEFAULT_LDAP_TIMEOUT_MS = 3000;

/**
 * The order in which a decision asks its verifiers: `parallel` asks both at once (lowest latency),
 * `otp_first` asks Entra only after the code proved valid (no Entra traffic without the user's token).
 */
export const VerificationOrders = ['parallel', 'otp_first'] as const;
export type VerificationOrder = (typeof VerificationOrders)[number];

/** General policy settings an admin may change at run time. */
export interface PolicySettings {
  /** Failed codes before the second factor locks. */
  otpMaxFailures: number;
  /** How long a lock (and the failure window) lasts, in seconds. */
  otpLockoutSeconds: number;
  /** Wrong Entra passwords of one user within the window before Entra is no longer asked for them; 0: no limit. */
  passwordMaxFailures: number;
  /** Wrong Entra passwords from one source (Calling-Station-Id, else the NAS) before it is refused; 0: no limit. */
  sourceMaxFailures: number;
  /** How long wrong passwords are counted, and a limit lasts, after the latest one, in seconds. */
  passwordFailureWindowSeconds: number;
  verificationOrder: VerificationOrder;
  /** How long an Access-Challenge waits for its code (clients in otpMode `challenge` or `auto`), in seconds. */
  challengeTtlSeconds: number;
}

/** Every setting's default; each equals the behaviour before the setting existed, or is a limit below Entra's own. */
export const DEFAULT_POLICY: PolicySettings = {
  otpMaxFailures: 5,
  otpLockoutSeconds: 900,
  passwordMaxFailures: 5,
  sourceMaxFailures: 20,
  passwordFailureWindowSeconds: 900,
  verificationOrder: 'parallel',
  challengeTtlSeconds: 120,
};

/** The policy as stored: rows written before a setting existed lack it (it then has its default). */
export type StoredPolicySettings = Pick<PolicySettings, 'otpMaxFailures' | 'otpLockoutSeconds'> & Partial<PolicySettings>;

/** How long records are kept. */
export interface RetentionSettings {
  /** Authentication events older than this many days are pruned (1..3650). */
  authEventDays: number;
}

export const DEFAULT_RETENTION: RetentionSettings = { authEventDays: 90 };

/** How admin accounts must sign in. */
export interface AdminSecuritySettings {
  /** Every account with role admin must have its own TOTP: one without gets a session that may only enrol it. */
  requireTotpForAdmins: boolean;
}

export const DEFAULT_ADMIN_SECURITY: AdminSecuritySettings = { requireTotpForAdmins: false };

/**
 * One-time codes by email or SMS in the challenge dialogue (clients with fallbackCodes). The SMTP
 * password is sealed with context `settings:fallback-codes:smtp`, each webhook header value with
 * `settings:fallback-codes:header:<name>`; neither is ever returned by the admin API.
 */
export interface FallbackCodeSettings {
  email: {
    enabled: boolean;
    host: string;
    port: number;
    /** Implicit TLS (SMTPS, port 465); otherwise STARTTLS is required when `startTls`. */
    secure: boolean;
    startTls: boolean;
    /** PEM of the CA(s) that sign the mail server's certificate; absent: the system's trust store. */
    caCertificate?: string | undefined;
    username?: string | undefined;
    passwordSealed?: string | undefined;
    from: string;
    subject: string;
    /** The message body: `{code}`, `{user}` and `{minutes}` are replaced. */
    template: string;
  };
  sms: {
    enabled: boolean;
    url: string;
    allowInsecure: boolean;
    method: 'POST' | 'PUT' | 'GET';
    /** Header name -> sealed value. */
    headersSealed: Record<string, string>;
    /** The request body: `{phone}`, `{code}`, `{user}` replaced, escaped for `contentType`. */
    bodyTemplate: string;
    contentType: 'application/x-www-form-urlencoded' | 'application/json' | 'text/plain';
    timeoutMs: number;
  };
  maxSendsPerHour: number;
  codeTtlSeconds: number;
}

export const DEFAULT_FALLBACK_CODES: FallbackCodeSettings = {
  email: {
    enabled: false,
    host: '',
    port: 587,
    secure: false,
    startTls: true,
    from: '',
    subject: 'Your sign-in code',
    template: 'Your sign-in code is {code}. It is valid for {minutes} minutes and can be used once.',
  },
  sms: {
    enabled: false,
    url: '',
    allowInsecure: false,
    method: 'POST',
    headersSealed: {},
    bodyTemplate: 'To={phone}&Body=Your sign-in code is {code}',
    contentType: 'application/x-www-form-urlencoded',
    timeoutMs: 5000,
  },
  maxSendsPerHour: 3,
  codeTtlSeconds: 300,
};

/**
 * The self-service enrolment portal (docs/enrollment-portal.md). `clientSecretSealed` (the portal
 * app registration's secret) is sealed with context `settings:portal` and never returned. Link
 * emails go through the SMTP server of the `fallback-codes` settings.
 */
export interface PortalSettings {
  /** Sign in with Microsoft (OpenID Connect, MFA proven by Entra). */
  oidcEnabled: boolean;
  /** Enrolment links (an admin sends a link; the user proves the Entra password). */
  linksEnabled: boolean;
  /** Where users reach the portal (`https://…`, no trailing slash); empty: not set. */
  publicUrl: string;
  organisationName: string;
  /** A `data:image/(png|jpeg|svg+xml);base64,…` URL, or null. */
  logo: string | null;
  /** The issuer authenticator apps show; empty: the admin API's ADMIN_ISSUER. */
  issuer: string;
  /** Whether a user with an active token may replace it from the portal (after a code of the current one). */
  allowReplace: boolean;
  /** How long a new link is valid unless its creation says otherwise, in hours. */
  linkTtlHours: number;
  /** The Conditional Access authentication context (`c1`..`c99`) whose satisfaction (`acrs`) proves MFA. */
  mfaContext: string;
  /** The portal's app registration (its own, not the ROPC client's). */
  clientId: string;
  clientSecretSealed?: string | undefined;
  email: {
    enabled: boolean;
    subject: string;
    /** `{user}`, `{url}`, `{hours}` and `{organisation}` are replaced. */
    template: string;
  };
}

export const DEFAULT_PORTAL: PortalSettings = {
  oidcEnabled: false,
  linksEnabled: false,
  publicUrl: '',
  organisationName: 'Tollgate',
  logo: null,
  issuer: '',
  allowReplace: false,
  linkTtlHours: 72,
  mfaContext: 'c1',
  clientId: '',
  email: {
    enabled: false,
    subject: 'Set up your sign-in code',
    template:
      'Hello {user},\n\nset up the sign-in code for {organisation} with your authenticator app here:\n\n{url}\n\nThe link is valid for {hours} hours and works once.',
  },
};

/** The portal settings with every field a stored row may lack filled from the defaults. */
export function withPortalDefaults(stored: Partial<PortalSettings> | null): PortalSettings {
  return { ...DEFAULT_PORTAL, ...stored, email: { ...DEFAULT_PORTAL.email, ...stored?.email } };
}

/** The portal settings as they apply now (defaults: both ways of signing in off). */
export async function portalSettings(db: Queryable): Promise<PortalSettings> {
  return withPortalDefaults(await settings.get(db, 'portal'));
}

export interface SettingsMap {
  'fallback-codes': FallbackCodeSettings;
  portal: PortalSettings;
  entra: EntraSettings;
  ldap: LdapSettings;
  policy: StoredPolicySettings;
  retention: RetentionSettings;
  'admin-security': AdminSecuritySettings;
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

/** The fallback-code settings with every field a stored row may lack filled from the defaults. */
export function withFallbackDefaults(stored: Partial<FallbackCodeSettings> | null): FallbackCodeSettings {
  const d = DEFAULT_FALLBACK_CODES;
  return {
    email: { ...d.email, ...stored?.email },
    sms: { ...d.sms, ...stored?.sms, headersSealed: { ...stored?.sms?.headersSealed } },
    maxSendsPerHour: stored?.maxSendsPerHour ?? d.maxSendsPerHour,
    codeTtlSeconds: stored?.codeTtlSeconds ?? d.codeTtlSeconds,
  };
}

/** The fallback-code settings as they apply now (defaults: both channels off). */
export async function fallbackCodeSettings(db: Queryable): Promise<FallbackCodeSettings> {
  return withFallbackDefaults(await settings.get(db, 'fallback-codes'));
}
