/**
 * NATS subjects, versioned in the name. Every deployment prefixes them with its
 * `NATS_SUBJECT_PREFIX` (default `tollgate`) so several installations, or parallel
 * test runs, can share one NATS cluster without hearing each other.
 */
export const Subjects = {
  /** gateway -> aggregator: one Access-Request to decide. */
  decide: 'auth.v1.decide',
  /** aggregator -> otp-verifier: check a TOTP code for a user. */
  verifyOtp: 'auth.v1.verify.otp',
  /** aggregator -> otp-verifier: send a one-time fallback code by email or SMS for a challenge. */
  sendFallbackCode: 'auth.v1.fallback.send',
  /** aggregator -> otp-verifier: check (and spend) a fallback code sent for a challenge. */
  verifyFallbackCode: 'auth.v1.fallback.verify',
  /** aggregator -> entra-verifier: check a password with ROPC. */
  verifyEntra: 'auth.v1.verify.entra',
  /** admin-api -> entra-verifier: the admin's "test connection" (same check, never cached). */
  testEntra: 'admin.v1.entra.test',
  /** aggregator -> ldap-verifier: check a password by a search and a bind. */
  verifyLdap: 'auth.v1.verify.ldap',
  /** admin-api -> ldap-verifier: the admin's "test connection" (same check, settings read fresh). */
  testLdap: 'admin.v1.ldap.test',
  /** enrollment-portal -> admin-api: what the portal shows and how it starts a Microsoft sign-in. */
  portalSettings: 'portal.v1.settings',
  /** enrollment-portal -> admin-api: redeem a Microsoft sign-in's code; a session if Entra performed MFA. */
  portalSignInOidc: 'portal.v1.signin.oidc',
  /** enrollment-portal -> admin-api: an enrolment link's state. */
  portalLinkCheck: 'portal.v1.link.check',
  /** enrollment-portal -> admin-api: an enrolment link and the user's Entra password; a session if both hold. */
  portalSignInLink: 'portal.v1.signin.link',
  /** enrollment-portal -> admin-api: a session's view. */
  portalSessionGet: 'portal.v1.session.get',
  /** enrollment-portal -> admin-api: end a session (sign out). */
  portalSessionEnd: 'portal.v1.session.end',
  /** enrollment-portal -> admin-api: a new pending token's seed, shown once. */
  portalEnrolStart: 'portal.v1.enrol.start',
  /** enrollment-portal -> admin-api: the first code; activates the pending token. */
  portalEnrolConfirm: 'portal.v1.enrol.confirm',
  /** anyone -> everyone: configuration changed, drop caches (fan-out, no queue group). */
  configChanged: 'events.v1.config.changed',
} as const;

export type SubjectName = keyof typeof Subjects;

export function subject(prefix: string, name: SubjectName): string {
  return prefix ? `${prefix}.${Subjects[name]}` : Subjects[name];
}

/** The queue group every replica of a verifier or aggregator joins, so exactly one answers. */
export const QUEUE_GROUP = 'tollgate';

/**
 * The enrolment portal's subjects by name (every `portal.v1.*` one): what the portal asks and the
 * admin API serves.
 */
export type PortalSubjectName = {
  [K in SubjectName]: (typeof Subjects)[K] extends `portal.v1.${string}` ? K : never;
}[SubjectName];

export const PORTAL_SUBJECT_NAMES: readonly PortalSubjectName[] = (Object.keys(Subjects) as SubjectName[]).filter(
  (name): name is PortalSubjectName => Subjects[name].startsWith('portal.v1.'),
);
