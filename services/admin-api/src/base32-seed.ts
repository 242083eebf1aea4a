/**
 * Validation of Base32 TOTP seeds as admins type them or hardware-token vendors print them
 * (upper or lower case, grouped with spaces or hyphens, padded or not). Our own small check, so
 * the admin API can name the problem in a 400 without ever echoing the seed.
 */

/** RFC 6238 recommends seeds of at least the hash length; 80 bits is the floor (RFC 4226 sec. 4, R6). */
export const MIN_SEED_BITS = 80;
/** Far above any real seed (SHA-512 wants 512 bits); bounds the work and the stored size. */
export const MAX_SEED_BITS = 1024;

export type SeedCheck =
  | { ok: true; /** Upper case, no separators, no padding: the form we store. */ base32: string; bits: number }
  | { ok: false; problem: string };

const ALPHABET = /^[A-Z2-7]*$/;
// Lengths (mod 8) an encoder can produce: 1, 3 and 6 leftover characters never occur.
const VALID_REMAINDERS = new Set([0, 2, 4, 5, 7]);

/** Checks a seed and returns its canonical form; the problem text never contains the seed. */
export function checkBase32Seed(text: string): SeedCheck {
  const compact = text.replace(/[\s-]/g, '').toUpperCase();
  const unpadded = compact.replace(/=+$/, '');
  if (unpadded.length === 0) return { ok: false, problem: 'must be a Base32 seed (letters A-Z and digits 2-7)' };
  if (!ALPHABET.test(unpadded)) return { ok: false, problem: 'must be Base32 (letters A-Z and digits 2-7 only)' };
  if (!VALID_REMAINDERS.has(unpadded.length % 8)) {
    return { ok: false, problem: 'must be complete Base32 (its length is not one an encoder produces)' };
  }
  const bits = Math.floor((unpadded.length * 5) / 8) * 8;
  if (bits < MIN_SEED_BITS) return { ok: false, problem: `must be at least ${MIN_SEED_BITS} bits (16 Base32 characters)` };
  if (bits > MAX_SEED_BITS) return { ok: false, problem: `must be at most ${MAX_SEED_BITS} bits` };
  return { ok: true, base32: unpadded, bits };
}
