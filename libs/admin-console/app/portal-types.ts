/** The self-service portal's settings and a user's enrolment links, as the admin API shows them. */

/** `GET /api/v1/settings/portal` (the client secret is write-only: only whether one is set). */
export interface PortalSettingsView {
  oidcEnabled: boolean;
  linksEnabled: boolean;
  /** Empty: not set yet. */
  publicUrl: string;
  organisationName: string;
  /** A `data:image/(png|jpeg|svg+xml);base64,…` URL, or null. */
  logo: string | null;
  /** Empty: the admin API's own issuer (ADMIN_ISSUER). */
  issuer: string;
  allowReplace: boolean;
  linkTtlHours: number;
  mfaContext: string;
  clientId: string;
  clientSecretSet: boolean;
  email: { enabled: boolean; subject: string; template: string };
}

/**
 * `PUT /api/v1/settings/portal`: the view's fields, a number as typed when it is none (so the API
 * names it); a client secret left out is kept, a new one replaces it, null removes it.
 */
export interface PortalSettingsInput extends Omit<PortalSettingsView, 'clientSecretSet' | 'linkTtlHours'> {
  linkTtlHours: number | string;
  clientSecret?: string | null;
}

export type EnrollmentLinkStatus = 'active' | 'used' | 'expired' | 'revoked';

/** One row of `GET /api/v1/users/:username/enrollment-links` (never the URL: only its hash is kept). */
export interface EnrollmentLinkView {
  id: string;
  createdAt: string;
  createdBy: string;
  expiresAt: string;
  usedAt: string | null;
  revokedAt: string | null;
  status: EnrollmentLinkStatus;
}

/** Why a link asked to go by email did not. */
export type LinkEmailProblem = 'no_address' | 'email_disabled' | 'send_failed';

/** `POST /api/v1/users/:username/enrollment-links`: the one answer that carries the URL. */
export interface IssuedLink {
  id: string;
  url: string;
  expiresAt: string;
  emailed: boolean;
  emailProblem?: LinkEmailProblem;
}
