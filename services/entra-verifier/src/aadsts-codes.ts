/**
 * The AADSTS codes Tollgate understands, the outcome each one means, and the HTTP status Entra
 * answers it with (docs/entra.md, "Classification"). This table is the only place that says
 * which answers prove a password right: a code missing here, or a known code with any other
 * status, is unknown and never counts as proof (see classify-ropc-response.ts).
 */
import type { EntraOutcome } from '@tollgate/contracts';

/** Outcomes an AADSTS code can map to (no_mfa and not_configured never come from a code). */
export type AadstsOutcome = Exclude<EntraOutcome, 'no_mfa' | 'not_configured'>;

const TABLE: ReadonlyArray<readonly [AadstsOutcome, readonly number[]]> = [
  // MFA / MFA registration / external challenge required: the password was checked and right.
  ['password_ok_mfa', [50076, 50079, 50158]],
  // Wrong password, or no such user.
  ['invalid_credentials', [50126, 50034]],
  // Smart lockout or malicious IP: says nothing about the password.
  ['locked', [50053]],
  ['disabled', [50057]],
  // Expired in the cloud / on premises (PTA): an admin or the user must act.
  ['password_expired', [50055, 50144]],
  // Conditional Access, security defaults.
  // 53000-53002: device compliance, domain join, approved app; 53004: MFA proof-up blocked by risk;
  // 530032: blocked by a security policy.
  ['blocked', [53003, 50131, 530035, 53000, 53001, 53002, 53004, 530032]],
  // Consent, app registration, client secret, tenant problems: an admin must act.
  ['config_error', [65001, 7000218, 700016, 700025, 7000215, 7000222, 90002, 50128, 50059, 9001023]],
  ['throttled', [50196]],
  // Pass-through authentication agent errors (the whole range 80001-80014): transient.
  ['unavailable', Array.from({ length: 14 }, (_, i) => 80001 + i)],
];

/**
 * The statuses each outcome needs. The token endpoint answers every error with 400 Bad Request
 * (OAuth 2.0, RFC 6749 sec. 5.2), except a failed client authentication (`invalid_client`),
 * which may be 401. Only a 400 carries an MFA-required answer; a 401 or 403 with 50076 comes
 * from something that is not the token endpoint speaking normally, and proves nothing.
 */
const STATUSES: Readonly<Record<AadstsOutcome, readonly number[]>> = {
  password_ok_mfa: [400],
  invalid_credentials: [400],
  locked: [400],
  disabled: [400],
  password_expired: [400],
  blocked: [400],
  config_error: [400, 401],
  throttled: [400],
  unavailable: [400],
};

const BY_CODE: ReadonlyMap<number, AadstsOutcome> = new Map(
  TABLE.flatMap(([outcome, codes]) => codes.map((code) => [code, outcome] as const)),
);

/** The outcome a known code means, or undefined for a code this table does not know. */
export function outcomeForAadsts(code: number): AadstsOutcome | undefined {
  return BY_CODE.get(code);
}

/**
 * The outcome of a code in an answer with this HTTP status: the table's outcome when the status
 * is one that outcome needs, otherwise `unavailable` (fail closed), as for an unknown code.
 */
export function outcomeForAnswer(code: number, status: number): AadstsOutcome {
  const outcome = BY_CODE.get(code);
  return outcome !== undefined && STATUSES[outcome].includes(status) ? outcome : 'unavailable';
}

/** The HTTP statuses an outcome needs (for tests and documentation). */
export function statusesFor(outcome: AadstsOutcome): readonly number[] {
  return STATUSES[outcome];
}

/** All codes of the table (for tests and documentation). */
export const KNOWN_AADSTS_CODES: ReadonlyArray<readonly [number, AadstsOutcome]> = [...BY_CODE.entries()];
