import { createHash } from 'node:crypto';
import { TollgateError } from '@tollgate/contracts';
import { computeMessageAuthenticator } from './message-authenticator.js';
import {
  Attr,
  AUTHENTICATOR_LENGTH,
  AUTHENTICATOR_OFFSET,
  type Code,
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
 *
 * A reply never exceeds 4096 octets (RFC 2865 sec. 3): when it would, the optional attributes
 * are left out, Reply-Message first, rather than sending nothing. Message-Authenticator and every
 * Proxy-State are never left out or cut (a proxy matches its reply by the Proxy-State it added,
 * RFC 2865 sec. 5.33); a reply that cannot fit with them alone is refused (EncodeError). That
 * cannot happen for a request the decoder accepted: Proxy-State needs Message-Authenticator in
 * the request, so the request was already at least as long as the smallest reply.
 */
export class EncodeError extends TollgateError<'response_too_large'> {
  constructor(message: string) {
    super('response_too_large', message);
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

/** Attributes a reply may go without, in the order they are left out when it would not fit. */
const OPTIONAL_IN_ORDER = [Attr.ReplyMessage] as const;

export function encodeResponse(spec: ResponseSpec, secret: Buffer): Buffer {
  if (spec.requestAuthenticator.length !== AUTHENTICATOR_LENGTH) throw new EncodeError('request authenticator must be 16 octets');
  let values: Array<[number, Buffer]> = [[Attr.MessageAuthenticator, Buffer.alloc(MESSAGE_AUTHENTICATOR_LENGTH)]];
  if (spec.replyMessage !== undefined) values.push([Attr.ReplyMessage, Buffer.from(spec.replyMessage, 'utf8')]);
  for (const state of spec.proxyStates ?? []) values.push([Attr.ProxyState, state]);
  for (const [, value] of values) {
    if (value.length > MAX_ATTRIBUTE_VALUE_LENGTH) throw new EncodeError('attribute value longer than 253 octets');
  }

  let length = lengthOf(values);
  for (const optional of OPTIONAL_IN_ORDER) {
    if (length <= MAX_PACKET_LENGTH) break;
    values = values.filter(([type]) => type !== optional);
    length = lengthOf(values);
  }
  if (length > MAX_PACKET_LENGTH) throw new EncodeError('response longer than 4096 octets even without its optional attributes');

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

function lengthOf(values: ReadonlyArray<[number, Buffer]>): number {
  return values.reduce((sum, [, value]) => sum + 2 + value.length, HEADER_LENGTH);
}
