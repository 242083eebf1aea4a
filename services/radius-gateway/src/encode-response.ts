import { createHash } from 'node:crypto';
import { computeMessageAuthenticator } from './message-authenticator.js';
import {
  Attr,
  AUTHENTICATOR_LENGTH,
  AUTHENTICATOR_OFFSET,
  Code,
  HEADER_LENGTH,
  MAX_ATTRIBUTE_VALUE_LENGTH,
  MAX_PACKET_LENGTH,
  MESSAGE_AUTHENTICATOR_LENGTH,
} from './radius-constants.js';

/**
 * Builds an Access-Accept or Access-Reject with Message-Authenticator as the FIRST attribute
 * (the BlastRADIUS hardening: a forger cannot prefix-collide a packet whose first attribute
 * is an HMAC). Order of work per RFC 2869 sec. 5.14 and RFC 2865 sec. 3: the HMAC is taken
 * with the Request Authenticator in the header, then the Response Authenticator replaces it.
 */
export class EncodeError extends Error {
  readonly code = 'response_too_large' as const;
  constructor(message: string) {
    super(message);
    this.name = 'EncodeError';
  }
}

export interface ResponseSpec {
  code: typeof Code.AccessAccept | typeof Code.AccessReject;
  identifier: number;
  requestAuthenticator: Buffer;
  replyMessage?: string;
  /** Echoed unchanged and in order (RFC 2865 sec. 5.33). */
  proxyStates?: Buffer[];
}

export function encodeResponse(spec: ResponseSpec, secret: Buffer): Buffer {
  if (spec.requestAuthenticator.length !== AUTHENTICATOR_LENGTH) throw new EncodeError('request authenticator must be 16 octets');
  const values: Array<[number, Buffer]> = [[Attr.MessageAuthenticator, Buffer.alloc(MESSAGE_AUTHENTICATOR_LENGTH)]];
  if (spec.replyMessage !== undefined) values.push([Attr.ReplyMessage, Buffer.from(spec.replyMessage, 'utf8')]);
  for (const state of spec.proxyStates ?? []) values.push([Attr.ProxyState, state]);

  let length = HEADER_LENGTH;
  for (const [, value] of values) {
    if (value.length > MAX_ATTRIBUTE_VALUE_LENGTH) throw new EncodeError('attribute value longer than 253 octets');
    length += 2 + value.length;
  }
  if (length > MAX_PACKET_LENGTH) throw new EncodeError('response longer than 4096 octets');

  const packet = Buffer.alloc(length);
  packet[0] = spec.code;
  packet[1] = spec.identifier;
  packet.writeUInt16BE(length, 2);
  spec.requestAuthenticator.copy(packet, AUTHENTICATOR_OFFSET);
  let offset = HEADER_LENGTH;
  for (const [type, value] of values) {
    packet[offset] = type;
    packet[offset + 1] = 2 + value.length;
    value.copy(packet, offset + 2);
    offset += 2 + value.length;
  }

  const maOffset = HEADER_LENGTH + 2;
  computeMessageAuthenticator(packet, secret).copy(packet, maOffset);
  const responseAuthenticator = createHash('md5').update(packet).update(secret).digest();
  responseAuthenticator.copy(packet, AUTHENTICATOR_OFFSET);
  return packet;
}
