import { TollgateError } from '@tollgate/contracts';
import type { ValidatedReplyAttribute } from './validate-reply-attribute.js';

/**
 * One validated attribute as RADIUS wire bytes: type, length, value (RFC 2865 sec. 5), or for a
 * vendor's attribute a Vendor-Specific (26) holding vendor id, vendor type, vendor length and
 * the value (RFC 2865 sec. 5.26, the format=1,1 every supported vendor uses). One vendor
 * attribute per Vendor-Specific, as most NAS expect.
 */
export const VENDOR_SPECIFIC = 26;

export class AttributeEncodeError extends TollgateError<'too_long'> {
  constructor(message: string) {
    super('too_long', message);
  }
}

export function encodeAttribute(attribute: Pick<ValidatedReplyAttribute, 'attribute' | 'octets'>): Buffer {
  const { attribute: definition, octets } = attribute;
  const vendor = definition.vendor;
  const size = vendor ? 8 + octets.length : 2 + octets.length;
  // Validation keeps values within 253/247 octets; this guards a caller that skipped it.
  if (size > 255) throw new AttributeEncodeError(`${definition.name}: value too long for one attribute`);
  const out = Buffer.alloc(size);
  if (!vendor) {
    out[0] = definition.number;
    out[1] = size;
    octets.copy(out, 2);
    return out;
  }
  out[0] = VENDOR_SPECIFIC;
  out[1] = size;
  out.writeUInt32BE(vendor.id, 2);
  out[6] = definition.number;
  out[7] = 2 + octets.length;
  octets.copy(out, 8);
  return out;
}
