import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

/** Digits of a fallback code. */
export const FALLBACK_CODE_DIGITS = 6;

/** A uniformly random code, leading zeros kept. */
export function generateFallbackCode(): string {
  return String(randomInt(0, 10 ** FALLBACK_CODE_DIGITS)).padStart(FALLBACK_CODE_DIGITS, '0');
}

/** What is stored of a code: sha256(ref || code), so the store never holds the code and a digest fits one challenge only. */
export function fallbackCodeDigest(ref: string, code: string): Buffer {
  return createHash('sha256').update(ref).update('\u0000').update(code).digest();
}

/** Constant-time comparison of a typed code with a stored digest. */
export function fallbackCodeMatches(stored: Buffer, ref: string, code: string): boolean {
  const typed = fallbackCodeDigest(ref, code);
  return stored.length === typed.length && timingSafeEqual(stored, typed);
}

/** The state-store key of the code sent for a challenge. */
export function fallbackCodeKey(ref: string): string {
  return `fallback-code:${ref}`;
}

/** The state-store counter of a user's sends in the current hour (fixed windows, each kept an hour). */
export function fallbackSendsKey(upn: string, nowMs: number): string {
  return `fallback-sends:${Math.floor(nowMs / 3_600_000)}:${upn}`;
}
