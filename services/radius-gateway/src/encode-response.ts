import { createHash } from 'node:crypto';
import { TollgateError } from '@tollgate/contracts';
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
 * Builds an Access-Accept, Access-Reject or Access-Challenge with Message-Authenticator as the FIRST attribute
 * (the BlastRADIUS hardening: a forger cannot prefix-collide a packet whose first attribute
 * is an HMAC). Order of work per RFC 2869 sec. 5.14 and RFC 2865 sec. 3: the HMAC is taken
 * with the Request Authenticator in the header, then the Response Authenticator replaces it.
 *
 * An Access-Accept may carry reply attributes (already wire-encoded, see reply-attributes.ts),
 * in their order, after Message-Authenticator and before the Proxy-States. An Access-Challenge
 * carries its prompt (Reply-Message) and the State the NAS must send back (RFC 2865 sec. 4.4);
 * the State is never left out.
 *
 * A reply never exceeds 4096 octets (RFC 2865 sec. 3): when it would, the optional attributes
 * are left out, Reply-Message first, rather than sending nothing. Message-Authenticator and every
 * Proxy-State are never left out or cut (a proxy matches its reply by the Proxy-State it added,
 * RFC 2865 sec. 5.33); a reply that cannot fit with them alone is refused (`response_too_large`).
 * That cannot happen for a request the decoder accepted: Proxy-State needs Message-Authenticator
 * in the request, so the request was already at least as long as the smallest reply.
 *
 * Reply attributes yield before Proxy-State, but never one by one: an accept without its
 * Filter-Id or group could grant more than the policy says. When they do not all fit, the
 * encoder refuses (`reply_attributes_too_large`) and the caller answers Access-Reject instead.
 */
export type EncodeErrorCode = 'response_too_large' | 'reply_attributes_too_large';

export class EncodeError extends TollgateError<EncodeErrorCode> {
  constructor(message: string, code: EncodeErrorCode = 'response_too_large') {
    super(code, message);
  }
}

export interface ResponseSpec {
  code: typeof Code.AccessAccept | typeof Code.AccessReject | typeof Code.AccessChallenge;
  identifier: number;
  requestAuthenticator: Buffer;
  replyMessage?: string;
  /** Echoed unchanged and in order (RFC 2865 sec. 5.33). */
  proxyStates?: Buffer[];
  /** Whole attributes (type, length, value), Access-Accept only; all of them or the encoder refuses. */
  replyAttributes?: Buffer[];
  /** Access-Challenge only, and required there: the State the follow-up must carry. */
  state?: Buffer;
}

export function encodeResponse(spec: ResponseSpec, secret: Buffer): Buffer {
  if (spec.requestAuthenticator.length !== AUTHENTICATOR_LENGTH) throw new EncodeError('request authenticator must be 16 octets');
  const replyAttributes = spec.replyAttributes ?? [];
  if (replyAttributes.length > 0 && spec.code !== Code.AccessAccept) throw new EncodeError('reply attributes go on an Access-Accept only');
  if ((spec.code === Code.AccessChallenge) !== (spec.state !== undefined)) {
    throw new EncodeError('an Access-Challenge, and only an Access-Challenge, carries a State');
  }
  if (spec.state !== undefined && spec.state.length === 0) throw new EncodeError('State must not be empty');
  for (const attribute of replyAttributes) {
    if (attribute.length < 2 || attribute[1] !== attribute.length) throw new EncodeError('a reply attribute is not one whole attribute');
  }
  let values: Array<[number, Buffer]> = [[Attr.MessageAuthenticator, Buffer.alloc(MESSAGE_AUTHENTICATOR_LENGTH)]];
  for (const attribute of replyAttributes) values.push([attribute[0]!, attribute.subarray(2)]);
  // The gateway's own Reply-Message is the one optional attribute (a policy's is a reply attribute).
  const replyMessage: [number, Buffer] | undefined =
    spec.replyMessage === undefined ? undefined : [Attr.ReplyMessage, Buffer.from(spec.replyMessage, 'utf8')];
  if (replyMessage) values.push(replyMessage);
  if (spec.state) values.push([Attr.State, spec.state]);
  for (const state of spec.proxyStates ?? []) values.push([Attr.ProxyState, state]);
  for (const [, value] of values) {
    if (value.length > MAX_ATTRIBUTE_VALUE_LENGTH) throw new EncodeError('attribute value longer than 253 octets');
  }

  let length = lengthOf(values);
  if (length > MAX_PACKET_LENGTH && replyMessage) {
    values = values.filter((entry) => entry !== replyMessage);
    length = lengthOf(values);
  }
  if (length > MAX_PACKET_LENGTH && replyAttributes.length > 0) {
    throw new EncodeError('the reply attributes do not fit in 4096 octets with the Proxy-States', 'reply_attributes_too_large');
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
