import { createHmac, timingSafeEqual } from 'node:crypto';
import { MESSAGE_AUTHENTICATOR_LENGTH } from './radius-constants.js';

/**
 * Message-Authenticator (RFC 2869 sec. 5.14): HMAC-MD5, keyed with the shared secret, over
 * the whole packet with the attribute's value zeroed. For a response the header carries the
 * request's authenticator while it is computed.
 */
export function computeMessageAuthenticator(packetWithZeroedValue: Buffer, secret: Buffer): Buffer {
  return createHmac('md5', secret).update(packetWithZeroedValue).digest();
}

/**
 * Verifies the attribute whose value starts at `valueOffset` in `packet`, in constant time.
 * The packet is copied; the caller's buffer is never changed.
 */
export function verifyMessageAuthenticator(packet: Buffer, valueOffset: number, secret: Buffer): boolean {
  const received = packet.subarray(valueOffset, valueOffset + MESSAGE_AUTHENTICATOR_LENGTH);
  if (received.length !== MESSAGE_AUTHENTICATOR_LENGTH) return false;
  const copy = Buffer.from(packet);
  copy.fill(0, valueOffset, valueOffset + MESSAGE_AUTHENTICATOR_LENGTH);
  return timingSafeEqual(computeMessageAuthenticator(copy, secret), received);
}
