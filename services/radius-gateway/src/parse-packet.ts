import { AUTHENTICATOR_LENGTH, AUTHENTICATOR_OFFSET, HEADER_LENGTH, MAX_PACKET_LENGTH, MIN_PACKET_LENGTH } from './radius-constants.js';

/**
 * Splits a datagram into a RADIUS header and its attribute list, checking only structure
 * (RFC 2865 sec. 3 and 5): lengths that add up, attributes that fit. Nothing here knows a
 * secret; authenticity is checked in decode-request.ts.
 */
export interface RawAttribute {
  type: number;
  /** Offset of the attribute's type octet in the packet. */
  offset: number;
  value: Buffer;
}

export interface RawPacket {
  code: number;
  identifier: number;
  authenticator: Buffer;
  attributes: RawAttribute[];
  /** The packet trimmed to its Length field (octets past it are padding, RFC 2865 sec. 3). */
  bytes: Buffer;
}

export type ParseResult = { ok: true; packet: RawPacket } | { ok: false; problem: string };

export function parsePacket(datagram: Buffer): ParseResult {
  if (datagram.length < MIN_PACKET_LENGTH) return { ok: false, problem: 'shorter than a header' };
  const length = datagram.readUInt16BE(2);
  if (length < MIN_PACKET_LENGTH || length > MAX_PACKET_LENGTH) return { ok: false, problem: 'length field out of range' };
  if (length > datagram.length) return { ok: false, problem: 'length field exceeds datagram' };
  const bytes = datagram.subarray(0, length);
  const attributes: RawAttribute[] = [];
  let offset = HEADER_LENGTH;
  while (offset < length) {
    if (offset + 2 > length) return { ok: false, problem: 'truncated attribute header' };
    const type = bytes[offset]!;
    const attributeLength = bytes[offset + 1]!;
    if (attributeLength < 2 || offset + attributeLength > length) return { ok: false, problem: 'attribute length out of range' };
    attributes.push({ type, offset, value: bytes.subarray(offset + 2, offset + attributeLength) });
    offset += attributeLength;
  }
  return {
    ok: true,
    packet: {
      code: bytes[0]!,
      identifier: bytes[1]!,
      authenticator: bytes.subarray(AUTHENTICATOR_OFFSET, AUTHENTICATOR_OFFSET + AUTHENTICATOR_LENGTH),
      attributes,
      bytes,
    },
  };
}
