/**
 * The rule behind the `requireTotpForAdmins` setting: with it on, an account with role admin and
 * no TOTP of its own signs in to a session that may only see who it is, sign out, and enrol its
 * TOTP; every other route answers 403 `totp_enrolment_required` until the TOTP is confirmed. API
 * tokens are never held back (they have no TOTP). Pure: the session resolver and the route guard
 * read the same rule.
 */
import type { AdminSecuritySettings } from '@tollgate/store';
import type { Role } from './permissions.js';

/** The routes a session held back by the rule may still call, as `METHOD /path` templates. */
export const OPEN_DURING_TOTP_ENROLMENT: readonly string[] = [
  'GET /api/v1/session',
  'DELETE /api/v1/session',
  'POST /api/v1/session/totp',
  'PUT /api/v1/session/totp',
];

export function totpEnrolmentRequired(account: { role: Role; hasTotp: boolean }, setting: AdminSecuritySettings): boolean {
  return setting.requireTotpForAdmins && account.role === 'admin' && !account.hasTotp;
}

export function openDuringTotpEnrolment(method: string, path: string): boolean {
  return OPEN_DURING_TOTP_ENROLMENT.includes(`${method.toUpperCase()} ${path}`);
}
