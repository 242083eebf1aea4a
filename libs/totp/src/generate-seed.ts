import { generateSecret } from 'otplib';
import { MAX_SEED_BYTES } from './base32-seed.js';
import { nodeCryptoPlugin } from './node-crypto-plugin.js';
import { TotpError } from './totp-error.js';

/**
 * A new random seed as unpadded Base32. 20 bytes (160 bits) by default, RFC 4226's
 * recommendation; fewer than 16 bytes (its minimum) is refused for seeds we create.
 */
export function generateSeed(bytes = 20): string {
  if (!Number.isInteger(bytes) || bytes < 16 || bytes > MAX_SEED_BYTES) {
    throw new TotpError('invalid_parameters', `seed length must be 16 to ${MAX_SEED_BYTES} bytes`);
  }
  return generateSecret({ length: bytes, crypto: nodeCryptoPlugin });
}
