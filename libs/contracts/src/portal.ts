import { z } from 'zod';
import { plainText, secretText } from './text.js';

/**
 * The enrolment portal's bus contract. The portal is the one part of Tollgate that may face the
 * internet, so it holds no database credentials and no master key: it renders pages and asks the
 * admin API (which owns users, tokens, links, settings and the audit log) over these subjects.
 * Every decision is taken on the far side: the portal relays the authorization code (not an ID
 * token it vouches for), the link and the password, and the codes; the admin API redeems the code,
 * validates the ID token, proves the password with ROPC and checks the codes.
 *
 * These subjects are sealed with a key derived from the master key for this purpose alone
 * (`PORTAL_BUS_KEY_PURPOSE`): the portal is given that key, which opens these messages and
 * nothing else (not the RADIUS path's messages, not a seed at rest).
 */
export const PORTAL_BUS_KEY_PURPOSE = 'portal-bus/v1';

/** The `<prefix>.portal.v1.` part every portal subject has: the bus seals these with the portal key. */
export const PORTAL_SUBJECT_MARK = 'portal.v1.';

export function isPortalSubject(subject: string): boolean {
  return subject.includes(PORTAL_SUBJECT_MARK);
}

/** An opaque session reference the admin API handed out (32 random bytes, base64url). */
const sessionRef = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
/** The secret part of an enrolment link (32 random bytes, base64url); only its SHA-256 is stored. */
export const enrollmentLinkToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
/** The browser's address as the portal saw it (for rate limits and the audit log). */
const sourceAddress = plainText(1, 64);
const totpCode = z.string().regex(/^[0-9]{6,8}$/);

/** Every portal request carries how long the portal waits, so the far side never works past it. */
const budget = { timeoutMs: z.number().int().min(1).max(60_000).optional() };

/**
 * Why a portal step did not go through, each with its own message on the page:
 * - `disabled`: this way of signing in is switched off in the settings;
 * - `rate_limited`: too many attempts for this user or from this address; try later;
 * - `unavailable`: Entra (or the admin API's database) did not answer in time;
 * - `wrong_password`: ROPC said the password is wrong (AADSTS50126) or the account cannot sign in;
 * - `mfa_not_performed`: the Microsoft sign-in carried no proof that Entra performed MFA;
 * - `sign_in_invalid`: the code did not redeem, or the ID token failed a check (signature, issuer,
 *   audience, tenant, expiry, nonce);
 * - `not_enrollable`: the user is unknown to Tollgate or disabled;
 * - `link_unknown`, `link_expired`, `link_used`, `link_revoked`: the enrolment link's state;
 * - `session_expired`: the session is gone (timed out, ended by an enrolment, or never was);
 * - `already_enrolled`: the user has an active token and replacing it from the portal is off;
 * - `current_code_required`, `current_code_wrong`: replacing needs a valid code of the current token;
 * - `seed_already_shown`: this session's seed was shown once and is never shown again;
 * - `wrong_code`: the first code did not match the new seed.
 */
export const PortalFailures = [
  'disabled',
  'rate_limited',
  'unavailable',
  'wrong_password',
  'mfa_not_performed',
  'sign_in_invalid',
  'not_enrollable',
  'link_unknown',
  'link_expired',
  'link_used',
  'link_revoked',
  'session_expired',
  'already_enrolled',
  'current_code_required',
  'current_code_wrong',
  'seed_already_shown',
  'wrong_code',
] as const;
export type PortalFailure = (typeof PortalFailures)[number];

const failure = z.object({ outcome: z.literal('failed'), reason: z.enum(PortalFailures) });

/** `portal.v1.settings`: what the portal shows and how it starts a Microsoft sign-in. No secret. */
export const PortalSettingsRequest = z.object({ ...budget });
export type PortalSettingsRequest = z.infer<typeof PortalSettingsRequest>;

export const PortalSettingsResponse = z.object({
  /** Where users reach the portal (`https://…`, no trailing slash); the redirect URI is `<publicUrl>/callback`. */
  publicUrl: z.url(),
  organisationName: plainText(1, 120),
  /** A `data:image/(png|jpeg|svg+xml);base64,…` URL (served by the portal itself), or null. */
  logo: z.string().max(200_000).nullable(),
  /** The issuer authenticator apps show for the new token. */
  issuer: plainText(1, 64),
  /** Whether a user with an active token may replace it (after a valid code of the current one). */
  allowReplace: z.boolean(),
  /** Sign in with Microsoft: off, or the public parts of the app registration. */
  oidc: z.union([
    z.object({ enabled: z.literal(false) }),
    z.object({
      enabled: z.literal(true),
      /** `<authorityHost>/<tenant>/oauth2/v2.0/authorize`. */
      authorizeEndpoint: z.url(),
      clientId: plainText(1, 128),
      /** The Conditional Access authentication context whose satisfaction (`acrs`) proves MFA. */
      mfaContext: z.string().regex(/^c([1-9]|[1-9][0-9])$/),
    }),
  ]),
  links: z.object({ enabled: z.boolean() }),
});
export type PortalSettingsResponse = z.infer<typeof PortalSettingsResponse>;

/** What a session knows of its user, as the enrolment pages show it. */
export const PortalSessionView = z.object({
  session: sessionRef,
  upn: plainText(1, 256),
  displayName: plainText(0, 256),
  /** The user already has an active token (enrolling replaces it, if allowed). */
  hasActiveToken: z.boolean(),
  /** This session's seed was already shown (a reload does not show it again). */
  seedShown: z.boolean(),
  /** Seconds until the session ends. */
  expiresInSeconds: z.number().int().min(0),
});
export type PortalSessionView = z.infer<typeof PortalSessionView>;

const sessionOrFailure = z.union([z.object({ outcome: z.literal('ok'), view: PortalSessionView }), failure]);

/** `portal.v1.signin.oidc`: redeem the authorization code and open a session if Entra performed MFA. */
export const PortalOidcSignInRequest = z.object({
  code: secretText(1, 4096),
  codeVerifier: z.string().regex(/^[A-Za-z0-9._~-]{43,128}$/),
  nonce: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/),
  redirectUri: z.url(),
  source: sourceAddress,
  ...budget,
});
export type PortalOidcSignInRequest = z.infer<typeof PortalOidcSignInRequest>;
export const PortalSignInResponse = sessionOrFailure;
export type PortalSignInResponse = z.infer<typeof PortalSignInResponse>;

/** `portal.v1.link.check`: the state of a link before asking for the password (no secret answered). */
export const PortalLinkCheckRequest = z.object({ link: enrollmentLinkToken, source: sourceAddress, ...budget });
export type PortalLinkCheckRequest = z.infer<typeof PortalLinkCheckRequest>;
export const PortalLinkCheckResponse = z.union([
  z.object({ outcome: z.literal('ok'), upn: plainText(1, 256), expiresAt: z.iso.datetime() }),
  failure,
]);
export type PortalLinkCheckResponse = z.infer<typeof PortalLinkCheckResponse>;

/** `portal.v1.signin.link`: prove the Entra password for the link's user (ROPC) and open a session. */
export const PortalLinkSignInRequest = z.object({
  link: enrollmentLinkToken,
  password: secretText(1, 1024),
  source: sourceAddress,
  ...budget,
});
export type PortalLinkSignInRequest = z.infer<typeof PortalLinkSignInRequest>;

/** `portal.v1.session.get`: the session's view (for a reload); `portal.v1.session.end`: sign out. */
export const PortalSessionRequest = z.object({ session: sessionRef, source: sourceAddress, ...budget });
export type PortalSessionRequest = z.infer<typeof PortalSessionRequest>;
export const PortalSessionResponse = sessionOrFailure;
export type PortalSessionResponse = z.infer<typeof PortalSessionResponse>;
export const PortalSessionEndResponse = z.object({ outcome: z.literal('ok') });
export type PortalSessionEndResponse = z.infer<typeof PortalSessionEndResponse>;

/**
 * `portal.v1.enrol.start`: make a new pending token for the session's user and answer its seed,
 * once per session. `currentCode` is required when the user has an active token (and replacing is
 * allowed). The pending token is not seen by the RADIUS path.
 */
export const PortalEnrolStartRequest = z.object({
  session: sessionRef,
  currentCode: totpCode.optional(),
  source: sourceAddress,
  ...budget,
});
export type PortalEnrolStartRequest = z.infer<typeof PortalEnrolStartRequest>;
export const PortalEnrolStartResponse = z.union([
  z.object({
    outcome: z.literal('ok'),
    /** `otpauth://totp/<issuer>:<upn>?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30`. */
    otpauthUri: z.string().startsWith('otpauth://totp/').max(1024),
    /** The base32 seed, for manual entry. */
    secret: z.string().regex(/^[A-Z2-7]{16,128}$/),
    issuer: plainText(1, 64),
    account: plainText(1, 256),
    digits: z.union([z.literal(6), z.literal(8)]),
    period: z.union([z.literal(30), z.literal(60)]),
  }),
  failure,
]);
export type PortalEnrolStartResponse = z.infer<typeof PortalEnrolStartResponse>;

/** `portal.v1.enrol.confirm`: the first code; a match makes the pending token active and ends the session. */
export const PortalEnrolConfirmRequest = z.object({ session: sessionRef, code: totpCode, source: sourceAddress, ...budget });
export type PortalEnrolConfirmRequest = z.infer<typeof PortalEnrolConfirmRequest>;
export const PortalEnrolConfirmResponse = z.union([
  z.object({ outcome: z.literal('activated'), upn: plainText(1, 256), replaced: z.boolean() }),
  failure,
]);
export type PortalEnrolConfirmResponse = z.infer<typeof PortalEnrolConfirmResponse>;
