/**
 * Turns one answer of the Entra v2.0 token endpoint (ROPC grant) into an outcome. Pure: the
 * caller passes the status, the parsed JSON body (null when it was not JSON) and the
 * Retry-After header, plus the clock for HTTP-date Retry-After values.
 *
 * Rules, in order:
 * - 2xx with a non-empty access_token or id_token (and no error codes) -> `no_mfa`.
 * - 429 -> `throttled` (Retry-After as seconds or HTTP-date).
 * - 5xx, 1xx/3xx, a 2xx without a token, a body that is not a JSON object -> `unavailable`.
 * - 4xx: branch on `error_codes` only (never on `error` or `error_description`: Microsoft says
 *   not to parse the description, and AADSTS50076 comes with either `interaction_required` or
 *   `invalid_grant`/`basic_action`). With several codes, the first code that is not an MFA code
 *   decides, so an MFA code next to anything else is not proof of the password.
 * - A code this service does not know, or a known code with a status its outcome does not come
 *   with (aadsts-codes.ts: 50076 proves the password only in a 400) -> `unavailable` (the
 *   contract's "unknown answer"): fail closed. It is never `password_ok_mfa`; it keeps the code
 *   so the auth log shows it.
 */
import type { EntraOutcome } from '@tollgate/contracts';
import { outcomeForAnswer } from './aadsts-codes.js';

export interface RopcAnswer {
  status: number;
  /** The parsed JSON body, or null when there was none or it was not JSON. */
  body: unknown;
  retryAfterHeader?: string | string[] | null;
  /** Clock for HTTP-date Retry-After values (ms since epoch); defaults to Date.now(). */
  nowMs?: number;
}

export interface RopcClassification {
  outcome: EntraOutcome;
  /** The AADSTS code that decided the outcome, when the answer had one. */
  aadsts?: number;
  retryAfterSeconds?: number;
  correlationId?: string;
}

/** Longest wait a Retry-After may ask for before we call it nonsense (one day). */
const MAX_RETRY_AFTER_SECONDS = 86_400;

export function classifyRopcResponse(answer: RopcAnswer): RopcClassification {
  const body = isObject(answer.body) ? answer.body : null;
  const codes = body ? readErrorCodes(body) : [];
  const correlationId = body ? readCorrelationId(body) : undefined;
  const base = correlationId === undefined ? {} : { correlationId };
  const first = codes[0];
  const withCode = first === undefined ? base : { ...base, aadsts: first };
  const status = answer.status;

  if (status >= 200 && status < 300) {
    if (body && codes.length === 0 && hasToken(body)) return { ...base, outcome: 'no_mfa' };
    return { ...withCode, outcome: 'unavailable' };
  }
  if (status === 429) {
    return withRetryAfter({ ...withCode, outcome: 'throttled' }, answer);
  }
  if (status < 400 || status >= 500 || codes.length === 0) {
    return { ...withCode, outcome: 'unavailable' };
  }

  // 4xx with codes. The first code that is not an MFA code decides; unknown codes, and codes
  // with a status their outcome never has, fail closed.
  for (const code of codes) {
    const outcome = outcomeForAnswer(code, status);
    if (outcome !== 'password_ok_mfa') {
      const result: RopcClassification = { ...base, outcome, aadsts: code };
      return outcome === 'throttled' ? withRetryAfter(result, answer) : result;
    }
  }
  return { ...base, outcome: 'password_ok_mfa', aadsts: codes[0]! };
}

/**
 * Seconds to wait from a Retry-After header: a non-negative integer, or an HTTP-date (a date
 * in the past means 0). Undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | string[] | null | undefined, nowMs: number): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Math.min(Number(value), MAX_RETRY_AFTER_SECONDS);
  // Only the IMF-fixdate senders must use (RFC 9110 5.6.7); other shapes would be Date.parse's guesses.
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, Math.ceil((at - nowMs) / 1000)), MAX_RETRY_AFTER_SECONDS);
}

function withRetryAfter(result: RopcClassification, answer: RopcAnswer): RopcClassification {
  const seconds = parseRetryAfter(answer.retryAfterHeader, answer.nowMs ?? Date.now());
  return seconds === undefined ? result : { ...result, retryAfterSeconds: seconds };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Entra sends codes as positive integers. A list with anything else in it is not an answer we
 * understand, so it counts as no codes at all (rather than dropping the odd element and
 * maybe reading the rest as MFA proof).
 */
function readErrorCodes(body: Record<string, unknown>): number[] {
  const codes = body.error_codes;
  if (!Array.isArray(codes)) return [];
  const valid = codes.every((c) => typeof c === 'number' && Number.isSafeInteger(c) && c > 0);
  return valid ? (codes as number[]) : [];
}

/** Entra's correlation ids are GUIDs; anything else is not echoed into our logs or replies. */
function readCorrelationId(body: Record<string, unknown>): string | undefined {
  const id = body.correlation_id;
  return typeof id === 'string' && /^[0-9a-fA-F-]{1,64}$/.test(id) ? id.toLowerCase() : undefined;
}

function hasToken(body: Record<string, unknown>): boolean {
  const nonEmpty = (v: unknown) => typeof v === 'string' && v.length > 0;
  return nonEmpty(body.access_token) || nonEmpty(body.id_token);
}
