import { timingSafeEqual } from 'node:crypto';
import { parseBase32Seed, MIN_SEED_BYTES, MAX_SEED_BYTES } from './base32-seed.js';
import { hotp } from './hotp.js';
import { TotpError } from './totp-error.js';

/**
 * RFC 6238 TOTP, pure: the time is an argument. Each code is an HOTP over the time step
 * (hotp.ts); this module picks the steps to try, compares in constant time and reports which
 * step matched so the caller can refuse to accept that step twice.
 */
/** The one list of token algorithms: the store, the admin API and the checks use it. */
export const TOTP_ALGORITHMS = ['SHA1', 'SHA256', 'SHA512'] as const;
export type TotpAlgorithm = (typeof TOTP_ALGORITHMS)[number];
export type TotpDigits = 6 | 8;
export type TotpPeriod = 30 | 60;

export interface TotpParameters {
  /** Raw seed bytes, or a Base32 seed (validated with parseBase32Seed). */
  secret: Uint8Array | string;
  digits: TotpDigits;
  period: TotpPeriod;
  algorithm: TotpAlgorithm;
}

export type TotpVerifyResult = { valid: true; step: number; drift: number } | { valid: false };

const ALGORITHMS = { SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' } as const;
const MAX_WINDOW = 2;

function seedBytes(secret: Uint8Array | string): Uint8Array {
  if (typeof secret === 'string') return parseBase32Seed(secret).bytes;
  if (!(secret instanceof Uint8Array)) throw new TotpError('invalid_parameters', 'secret must be bytes or base32');
  if (secret.length < MIN_SEED_BYTES) throw new TotpError('seed_too_short', `seed must be at least ${MIN_SEED_BYTES} bytes`);
  if (secret.length > MAX_SEED_BYTES) throw new TotpError('seed_too_long', `seed must be at most ${MAX_SEED_BYTES} bytes`);
  return secret;
}

function checkParameters(p: Omit<TotpParameters, 'secret'>): void {
  if (p.digits !== 6 && p.digits !== 8) throw new TotpError('invalid_parameters', 'digits must be 6 or 8');
  if (p.period !== 30 && p.period !== 60) throw new TotpError('invalid_parameters', 'period must be 30 or 60');
  if (!Object.hasOwn(ALGORITHMS, p.algorithm)) throw new TotpError('invalid_parameters', 'algorithm must be SHA1, SHA256 or SHA512');
}

function checkTime(nowMs: number): void {
  if (!Number.isFinite(nowMs) || nowMs < 0) throw new TotpError('invalid_parameters', 'time must be a non-negative number');
}

/** The RFC 6238 time step (counter) `nowMs` falls in. */
export function totpStep(nowMs: number, period: TotpPeriod): number {
  checkTime(nowMs);
  return Math.floor(nowMs / (period * 1000));
}

function codeAtStep(bytes: Uint8Array, p: Omit<TotpParameters, 'secret'>, step: number): string {
  return hotp(bytes, step, ALGORITHMS[p.algorithm], p.digits);
}

/** The code for the step containing `nowMs` (tests, tools, enrolment checks). */
export function generateTotp(params: TotpParameters & { nowMs: number }): string {
  checkParameters(params);
  return codeAtStep(seedBytes(params.secret), params, totpStep(params.nowMs, params.period));
}

/**
 * Checks `code` against steps T-window .. T+window (default one step of clock drift either
 * way). Every candidate is computed and compared in constant time, with no early exit; the
 * current step wins, then the nearest, past before future. Codes of the wrong length or with
 * non-digits are simply invalid. Bad parameters (or a bad seed) throw TotpError.
 */
export function verifyTotp(params: TotpParameters & { code: string; nowMs: number; window?: number }): TotpVerifyResult {
  checkParameters(params);
  const window = params.window ?? 1;
  if (!Number.isInteger(window) || window < 0 || window > MAX_WINDOW) {
    throw new TotpError('invalid_parameters', `window must be an integer from 0 to ${MAX_WINDOW}`);
  }
  const bytes = seedBytes(params.secret);
  const current = totpStep(params.nowMs, params.period);
  const code = typeof params.code === 'string' ? params.code : '';
  const wellFormed = code.length === params.digits && /^[0-9]+$/.test(code);
  // Compared byte for byte in constant time; a code of the wrong form is compared with a
  // stand-in of the right length (and cannot match), so every check does the same work.
  const entered = Buffer.from(wellFormed ? code : '0'.repeat(params.digits), 'latin1');

  // Preference order: 0, -1, +1, -2, +2.
  const drifts = [0];
  for (let d = 1; d <= window; d++) drifts.push(-d, d);
  let matched: number | undefined;
  for (const drift of drifts) {
    const step = current + drift;
    if (step < 0) continue;
    const equal = timingSafeEqual(Buffer.from(codeAtStep(bytes, params, step), 'latin1'), entered);
    if (equal && wellFormed && matched === undefined) matched = drift;
  }
  return matched === undefined ? { valid: false } : { valid: true, step: current + matched, drift: matched };
}
