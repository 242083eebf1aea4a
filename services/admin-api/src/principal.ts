/**
 * Who is making a request of the admin API, once authenticated: an API token (the bootstrap
 * `ADMIN_API_TOKEN` or a named one) with its role. Kept for the request's duration in an
 * AsyncLocalStorage, so the audit record of a change names its actor without every route passing it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Role } from './permissions.js';

export interface Principal {
  /** A bearer API token, or an admin account signed in with a session cookie. */
  kind: 'token' | 'account';
  /** The account's or token's name; `bootstrap` for `ADMIN_API_TOKEN`. Never the token itself. */
  name: string;
  role: Role;
  /**
   * An admin account signed in without a TOTP of its own while `requireTotpForAdmins` is on: only
   * the routes of OPEN_DURING_TOTP_ENROLMENT are open to it (admin-totp-requirement.ts).
   */
  totpEnrolmentRequired?: boolean;
}

export interface RequestContext {
  principal: Principal;
  /** The client's address as the socket saw it. */
  source: string;
}

/** The bootstrap token's name in audit records and listings. */
export const BOOTSTRAP_TOKEN_NAME = 'bootstrap';

/** Resolves a presented bearer token to its principal; undefined when it is not valid. */
export type PrincipalResolver = (presented: string) => Promise<Principal | undefined>;

/** A console session found by its cookie: who, and the session's CSRF token. */
export interface SessionMatch {
  principal: Principal;
  csrfToken: string;
}

/** Resolves a session cookie's value to its session; undefined when absent, expired or its account disabled. */
export type SessionResolver = (sessionId: string) => Promise<SessionMatch | undefined>;

export const requestContext = new AsyncLocalStorage<RequestContext>();
