import { TotpError } from './totp-error.js';

/**
 * Base32 TOTP seeds as people and hardware vendors write them: `jbsw y3dp-ehpk 3pxp`, with or
 * without `=` padding. RFC 4226 requires at least 128 bits and recommends 160; we accept 80
 * bits (10 bytes) as the floor because some OATH hardware tokens ship seeds that short, and
 * cap at 64 bytes (an HMAC-SHA512 block). Seeds Tollgate generates itself are 160 bits.
 */
export const MIN_SEED_BYTES = 10;
export const MAX_SEED_BYTES = 64;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const VALUES = new Map([...ALPHABET].map((c, i) => [c, i]));
// An encoder never emits 1, 3 or 6 characters past a full 8-character block.
const VALID_TAIL_LENGTHS = new Set([0, 2, 4, 5, 7]);

export interface ParsedSeed {
  /** Canonical form: upper-case, no separators, no padding. */
  base32: string;
  bytes: Uint8Array;
}

/**
 * Normalises and validates a Base32 seed. Throws TotpError `invalid_base32`, `seed_too_short`
 * or `seed_too_long`, whose message reads after a field name ("secret: must be Base32 …") and
 * never contains the seed. Leftover bits after the last whole byte are ignored, as oathtool and
 * authenticator apps do (vendor seeds such as Microsoft's CSV example have them non-zero).
 */
export function parseBase32Seed(text: string): ParsedSeed {
  if (typeof text !== 'string') throw new TotpError('invalid_base32', 'must be a Base32 string');
  const compact = text.replace(/[\s-]+/g, '').toUpperCase();
  const firstPad = compact.indexOf('=');
  const body = firstPad < 0 ? compact : compact.slice(0, firstPad);
  if (body.length === 0) throw new TotpError('invalid_base32', 'must be a Base32 seed (letters A-Z and digits 2-7)');
  // Never name the character: it is part of the secret.
  if (!/^[A-Z2-7]+$/.test(body)) throw new TotpError('invalid_base32', 'must be Base32 (letters A-Z and digits 2-7 only)');
  if (firstPad >= 0) {
    const padding = compact.slice(firstPad);
    if (!/^=+$/.test(padding) || compact.length % 8 !== 0 || padding.length > 6) {
      throw new TotpError('invalid_base32', "must be Base32 with '=' padding only at the end, to a multiple of 8 characters");
    }
  }
  if (!VALID_TAIL_LENGTHS.has(body.length % 8)) {
    throw new TotpError('invalid_base32', 'must be complete Base32 (its length is not one an encoder produces)');
  }
  const bytes = new Uint8Array(Math.floor((body.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (const char of body) {
    buffer = ((buffer << 5) | VALUES.get(char)!) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes[index++] = (buffer >> bits) & 0xff;
    }
  }
  if (bytes.length < MIN_SEED_BYTES) {
    throw new TotpError(
      'seed_too_short',
      `must be at least ${MIN_SEED_BYTES * 8} bits (${Math.ceil((MIN_SEED_BYTES * 8) / 5)} Base32 characters)`,
    );
  }
  if (bytes.length > MAX_SEED_BYTES) {
    throw new TotpError('seed_too_long', `must be at most ${MAX_SEED_BYTES * 8} bits (${MAX_SEED_BYTES} bytes)`);
  }
  return { base32: body, bytes };
}

/** Base32 (RFC 4648) without padding, the form otpauth URIs and authenticator apps use. */
export function encodeBase32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >> bits) & 31];
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}
