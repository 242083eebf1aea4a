import { TollgateError } from '@tollgate/contracts';

/**
 * A RADIUS dictionary as FreeRADIUS 3 writes it, reduced to what Tollgate encodes. Everything a
 * real dictionary file may hold is kept (so a FreeRADIUS directory loads as it is), but an
 * attribute Tollgate cannot encode faithfully carries `unsupported`, the reason it is refused
 * rather than mis-encoded: a TLV or extended attribute, an encrypted or tagged one, a vendor
 * format other than 1,1, a data type without an encoder.
 */

/** Data types Tollgate encodes (RFC 8044 names in parentheses where FreeRADIUS differs). */
export const ENCODABLE_TYPES = ['string', 'octets', 'integer', 'ipaddr', 'ipv6addr', 'date', 'byte', 'short', 'integer64'] as const;
export type EncodableType = (typeof ENCODABLE_TYPES)[number];

export interface Vendor {
  name: string;
  id: number;
  /** Set when the vendor's format is not `format=1,1` (one-octet type and length). */
  unsupported?: string;
}

export interface AttributeDefinition {
  /** The name as the dictionary spells it; lookups ignore case, as FreeRADIUS's do. */
  name: string;
  /** Attribute number (the vendor type inside a Vendor-Specific). */
  number: number;
  /** The type as written (lower case), e.g. `string`, `ipaddr`, `tlv`. */
  type: string;
  vendor?: { name: string; id: number };
  /** `octets[N]`: the value is exactly N octets. */
  fixedLength?: number;
  /** Named integer values (VALUE lines), name -> number, in file order. */
  values: Map<string, number>;
  /** Why Tollgate will not encode it; absent when it will. */
  unsupported?: string;
  /** Where it was defined, for messages. */
  definedAt: string;
}

export interface Dictionary {
  vendors: Map<string, Vendor>;
  /** By lower-case name. */
  attributes: Map<string, AttributeDefinition>;
  /** Every file read, in order (includes followed). */
  files: string[];
}

export type DictionaryErrorCode = 'syntax' | 'unknown_vendor' | 'unknown_attribute' | 'conflict' | 'include' | 'vendor_block';

/** A dictionary that cannot be loaded: the message starts with `file:line`. */
export class DictionaryError extends TollgateError<DictionaryErrorCode> {
  readonly file: string;
  readonly line: number;

  constructor(code: DictionaryErrorCode, file: string, line: number, message: string) {
    super(code, `${file}:${line}: ${message}`);
    this.file = file;
    this.line = line;
  }
}

export function emptyDictionary(): Dictionary {
  return { vendors: new Map(), attributes: new Map(), files: [] };
}

export function findAttribute(dictionary: Dictionary, name: string): AttributeDefinition | undefined {
  return dictionary.attributes.get(name.toLowerCase());
}
