import { isIPv4, isIPv6 } from 'node:net';
import { type AttributeDefinition, type Dictionary, type EncodableType, findAttribute } from './dictionary-model.js';

/**
 * Checks one reply attribute `{name, value}` against a dictionary and returns its typed value
 * and its value octets, or the problem with a message an admin can act on. Values as an admin
 * writes them: a string for string, ipaddr and ipv6addr; `0x`-hex for octets; a number, a
 * decimal string or a VALUE name for the integer types; seconds or an ISO 8601 time for date.
 *
 * One octet of length covers type, length and value, so a standard attribute's value is at most
 * 253 octets; a Vendor-Specific (type 26, vendor id, vendor type, vendor length) leaves 247.
 */
export interface ReplyAttributeInput {
  name: string;
  value: string | number;
}

export type ReplyAttributeProblem =
  | 'unknown_attribute'
  | 'unsupported'
  | 'not_allowed'
  | 'wrong_type'
  | 'unknown_value'
  | 'out_of_range'
  | 'too_long'
  | 'empty';

export type ValidatedReplyAttribute = {
  ok: true;
  attribute: AttributeDefinition;
  /** The value in its canonical form: a number for byte/short/integer/date, else a string. */
  value: string | number;
  /** The attribute's value octets as they go on the wire. */
  octets: Buffer;
};
export type InvalidReplyAttribute = { ok: false; problem: ReplyAttributeProblem; message: string };

export const MAX_STANDARD_VALUE_OCTETS = 253;
export const MAX_VSA_VALUE_OCTETS = 247;

/**
 * Attributes the gateway owns: protocol machinery, secrets, or what another step sets. A policy
 * that could send them would break the packet (Message-Authenticator, Proxy-State) or a flow.
 */
const RESERVED_STANDARD = new Map<number, string>([
  [2, 'User-Password'],
  [3, 'CHAP-Password'],
  [24, 'State'],
  [26, 'Vendor-Specific'],
  [33, 'Proxy-State'],
  [60, 'CHAP-Challenge'],
  [79, 'EAP-Message'],
  [80, 'Message-Authenticator'],
]);

const INTEGER_MAX: Record<'byte' | 'short' | 'integer' | 'date', number> = {
  byte: 0xff,
  short: 0xffff,
  integer: 0xffffffff,
  date: 0xffffffff,
};
const INTEGER_WIDTH: Record<'byte' | 'short' | 'integer' | 'date', number> = { byte: 1, short: 2, integer: 4, date: 4 };

export function validateReplyAttribute(
  dictionary: Dictionary,
  input: ReplyAttributeInput,
): ValidatedReplyAttribute | InvalidReplyAttribute {
  const attribute = findAttribute(dictionary, input.name);
  if (!attribute) return invalid('unknown_attribute', `${input.name} is not in the RADIUS dictionary`);
  if (attribute.unsupported) return invalid('unsupported', `${attribute.name} cannot be sent: ${attribute.unsupported}`);
  if (!attribute.vendor && RESERVED_STANDARD.has(attribute.number)) {
    return invalid('not_allowed', `${attribute.name} is set by the gateway itself and cannot be a reply attribute`);
  }
  const max = attribute.vendor ? MAX_VSA_VALUE_OCTETS : MAX_STANDARD_VALUE_OCTETS;
  const typed = typedValue(attribute, attribute.type as EncodableType, input.value);
  if (!typed.ok) return typed;
  if (typed.octets.length === 0) return invalid('empty', `${attribute.name} must not be empty`);
  if (attribute.fixedLength !== undefined && typed.octets.length !== attribute.fixedLength) {
    return invalid('wrong_type', `${attribute.name} must be exactly ${attribute.fixedLength} octets`);
  }
  if (typed.octets.length > max) {
    return invalid(
      'too_long',
      `${attribute.name} is ${typed.octets.length} octets; at most ${max} fit in ${attribute.vendor ? 'a vendor-specific' : 'an'} attribute`,
    );
  }
  return { ok: true, attribute, value: typed.value, octets: typed.octets };
}

type Typed = { ok: true; value: string | number; octets: Buffer } | InvalidReplyAttribute;

function typedValue(attribute: AttributeDefinition, type: EncodableType, value: string | number): Typed {
  const name = attribute.name;
  switch (type) {
    case 'string':
      if (typeof value !== 'string') return invalid('wrong_type', `${name} takes a string`);
      return { ok: true, value, octets: Buffer.from(value, 'utf8') };
    case 'octets':
      if (typeof value !== 'string' || !/^0x([0-9a-f]{2})*$/i.test(value))
        return invalid('wrong_type', `${name} takes octets written as 0x and hex digits`);
      return { ok: true, value: value.toLowerCase(), octets: Buffer.from(value.slice(2), 'hex') };
    case 'ipaddr':
      if (typeof value !== 'string' || !isIPv4(value)) return invalid('wrong_type', `${name} takes an IPv4 address (a.b.c.d)`);
      return { ok: true, value, octets: Buffer.from(value.split('.').map(Number)) };
    case 'ipv6addr': {
      const octets = typeof value === 'string' && isIPv6(value) ? ipv6Octets(value) : undefined;
      if (!octets) return invalid('wrong_type', `${name} takes an IPv6 address`);
      return { ok: true, value: (value as string).toLowerCase(), octets };
    }
    case 'integer64': {
      const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
      if (typeof text !== 'string' || !/^\d{1,20}$/.test(text)) return invalid('wrong_type', `${name} takes a whole number`);
      const big = BigInt(text);
      if (big > 0xffffffffffffffffn) return invalid('out_of_range', `${name} must be at most 2^64-1`);
      const octets = Buffer.alloc(8);
      octets.writeBigUInt64BE(big);
      return { ok: true, value: big.toString(), octets };
    }
    case 'date':
      if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
        const ms = Date.parse(value);
        if (Number.isNaN(ms)) return invalid('wrong_type', `${name} takes seconds since 1970 or an ISO 8601 time`);
        return integerValue(attribute, 'date', Math.floor(ms / 1000));
      }
      return integerValue(attribute, 'date', value);
    case 'byte':
    case 'short':
    case 'integer':
      return integerValue(attribute, type, value);
  }
}

function integerValue(attribute: AttributeDefinition, type: 'byte' | 'short' | 'integer' | 'date', value: string | number): Typed {
  let number: number | undefined;
  if (typeof value === 'number') number = value;
  else if (/^\d{1,15}$/.test(value)) number = Number(value);
  else {
    const wanted = value.toLowerCase();
    for (const [valueName, valueNumber] of attribute.values) if (valueName.toLowerCase() === wanted) number = valueNumber;
    if (number === undefined) {
      if (attribute.values.size === 0) return invalid('wrong_type', `${attribute.name} takes a whole number`);
      const some = [...attribute.values.keys()].slice(0, 5).join(', ');
      return invalid(
        'unknown_value',
        `${attribute.name} has no value named ${value} (known: ${some}${attribute.values.size > 5 ? ', ...' : ''})`,
      );
    }
  }
  if (!Number.isInteger(number)) return invalid('wrong_type', `${attribute.name} takes a whole number`);
  if (number < 0 || number > INTEGER_MAX[type])
    return invalid('out_of_range', `${attribute.name} must be between 0 and ${INTEGER_MAX[type]}`);
  const octets = Buffer.alloc(INTEGER_WIDTH[type]);
  octets.writeUIntBE(number, 0, INTEGER_WIDTH[type]);
  return { ok: true, value: number, octets };
}

/** The 16 octets of an address node:net already accepted as IPv6 (with `::` and a dotted IPv4 tail). */
function ipv6Octets(address: string): Buffer | undefined {
  let text = address.split('%')[0]!;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -v4[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  if (groups.length !== 8) return undefined;
  const octets = Buffer.alloc(16);
  groups.forEach((group, i) => {
    octets.writeUInt16BE(Number.parseInt(group, 16), i * 2);
  });
  return octets;
}

function invalid(problem: ReplyAttributeProblem, message: string): InvalidReplyAttribute {
  return { ok: false, problem, message };
}
