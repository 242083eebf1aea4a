/**
 * Admin account passwords, hashed with scrypt (memory-hard) on libuv's thread pool, never the
 * sync variant on the event loop. A hash is a self-describing string
 * `scrypt$N=32768,r=8,p=1$<salt base64url>$<key base64url>`, so the parameters can rise later and
 * old hashes still verify; verification compares the keys in constant time. `verifyPassword`
 * against `DUMMY_HASH` costs the same as a real one: a sign-in for an unknown account takes it, so
 * timing does not tell which accounts exist.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { TollgateError } from '@tollgate/contracts';

export const SCRYPT_DEFAULTS = { N: 32_768, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Enough for N up to 2^17 with r = 8 (128 * N * r bytes) and some headroom. */
const MAX_MEMORY = 256 * 1024 * 1024;

export class PasswordHashError extends TollgateError<'bad_hash'> {}

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFC'), salt, keyLength, { ...options, maxmem: MAX_MEMORY }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export interface ParsedHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

const FORMAT = /^scrypt\$N=(\d{1,7}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9_-]{16,128})\$([A-Za-z0-9_-]{43,128})$/;

export function parseHash(hash: string): ParsedHash {
  const m = FORMAT.exec(hash);
  if (!m) throw new PasswordHashError('bad_hash', 'not a scrypt password hash');
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // N must be a power of two above 1; bounds keep a tampered row from exhausting memory.
  if (N < 2 || N > 131_072 || (N & (N - 1)) !== 0 || r < 1 || r > 16 || p < 1 || p > 16) {
    throw new PasswordHashError('bad_hash', 'scrypt parameters out of range');
  }
  return { N, r, p, salt: Buffer.from(m[4]!, 'base64url'), key: Buffer.from(m[5]!, 'base64url') };
}

export async function hashPassword(password: string, params: { N: number; r: number; p: number } = SCRYPT_DEFAULTS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, KEY_BYTES, params);
  return `scrypt$N=${params.N},r=${params.r},p=${params.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const parsed = parseHash(hash);
  const key = await scrypt(password, parsed.salt, parsed.key.length, { N: parsed.N, r: parsed.r, p: parsed.p });
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

/** A valid hash of a random password nobody knows, with the default parameters. */
export const DUMMY_HASH = `scrypt$N=${SCRYPT_DEFAULTS.N},r=${SCRYPT_DEFAULTS.r},p=${SCRYPT_DEFAULTS.p}$${randomBytes(SALT_BYTES).toString('base64url')}$${randomBytes(KEY_BYTES).toString('base64url')}`;
