import { createHmac } from 'node:crypto';

/**
 * RFC 4226 HOTP: the HMAC of the 8-byte big-endian counter under the seed, dynamically
 * truncated to `digits` decimal digits. One HMAC in OpenSSL and a few integer operations; the
 * TOTP checks (totp.ts) call it for every candidate step of every code entered.
 */
export function hotp(key: Uint8Array, counter: number, hash: 'sha1' | 'sha256' | 'sha512', digits: 6 | 8): string {
  const message = Buffer.allocUnsafe(8);
  message.writeUInt32BE(Math.floor(counter / 0x1_0000_0000), 0);
  message.writeUInt32BE(counter >>> 0, 4);
  const mac = createHmac(hash, key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fff_ffff;
  return String(binary % (digits === 6 ? 1_000_000 : 100_000_000)).padStart(digits, '0');
}
