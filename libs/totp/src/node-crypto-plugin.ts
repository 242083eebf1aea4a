import { createHmac, randomBytes } from 'node:crypto';
import type { CryptoPlugin, HashAlgorithm } from 'otplib';
import { secretsEqual } from '@tollgate/security';

/**
 * otplib crypto plugin on node:crypto: the HMAC runs in OpenSSL (a few microseconds, no pure-JS
 * hashing on the hot path) and is synchronous, so otplib's `generateSync` can use it.
 */
export const nodeCryptoPlugin: CryptoPlugin = Object.freeze({
  name: 'node-crypto',
  algorithms: ['sha1', 'sha256', 'sha512'] as const,
  hmac(algorithm: HashAlgorithm, key: Uint8Array, data: Uint8Array): Uint8Array {
    return new Uint8Array(createHmac(algorithm, key).update(data).digest());
  },
  randomBytes(length: number): Uint8Array {
    return new Uint8Array(randomBytes(length));
  },
  constantTimeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
    return secretsEqual(a, b);
  },
});
