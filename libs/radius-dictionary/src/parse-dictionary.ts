import path from 'node:path';
import { type AttributeDefinition, type Dictionary, DictionaryError, ENCODABLE_TYPES, type EncodableType } from './dictionary-model.js';

/**
 * Reads FreeRADIUS 3 dictionary files into `dictionary`: VENDOR, BEGIN-VENDOR/END-VENDOR,
 * ATTRIBUTE (with `type[N]` and the flags), VALUE, BEGIN-TLV/END-TLV and `$INCLUDE` (`$INCLUDE-`
 * when the file may be missing), relative to the including file. `read` is the only I/O: it
 * returns a file's text, or undefined when there is none. A line that is not valid dictionary
 * syntax stops the load with a DictionaryError naming its file and line; a valid definition
 * Tollgate cannot encode is kept, marked `unsupported` (see dictionary-model.ts).
 *
 * As in FreeRADIUS, a VALUE may come before its ATTRIBUTE (even in a later file): VALUEs are
 * resolved when the whole load is done.
 */
export type ReadFile = (file: string) => string | undefined;

/** Every type FreeRADIUS 3 knows, and the v4 spellings of the integer ones. */
const KNOWN_TYPES = new Set<string>([
  ...ENCODABLE_TYPES,
  'signed',
  'ipv4prefix',
  'ipv6prefix',
  'ifid',
  'ether',
  'abinary',
  'combo-ip',
  'tlv',
  'struct',
  'extended',
  'long-extended',
  'evs',
  'vsa',
]);
const TYPE_ALIASES: Record<string, EncodableType> = { uint8: 'byte', uint16: 'short', uint32: 'integer', uint64: 'integer64' };
const KNOWN_FLAGS = new Set(['has_tag', 'encrypt', 'array', 'concat', 'virtual', 'secret']);
const MAX_INCLUDE_DEPTH = 16;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._/+:-]*$/;

interface PendingValue {
  attribute: string;
  name: string;
  value: number;
  at: { file: string; line: number };
}

export function loadDictionaryFile(dictionary: Dictionary, file: string, read: ReadFile): void {
  const pending: PendingValue[] = [];
  const text = read(file);
  if (text === undefined) throw new DictionaryError('include', file, 0, 'no such dictionary file');
  parseFile(dictionary, file, text, read, pending, [file]);
  for (const value of pending) {
    const attribute = dictionary.attributes.get(value.attribute.toLowerCase());
    if (!attribute) {
      throw new DictionaryError('unknown_attribute', value.at.file, value.at.line, `VALUE for unknown attribute ${value.attribute}`);
    }
    attribute.values.set(value.name, value.value);
  }
}

function parseFile(dictionary: Dictionary, file: string, text: string, read: ReadFile, pending: PendingValue[], stack: string[]): void {
  dictionary.files.push(file);
  let vendorBlock: { name: string; id: number; unsupported?: string; line: number } | undefined;
  let tlvDepth = 0;
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = index + 1;
    const fail = (code: DictionaryError['code'], message: string): never => {
      throw new DictionaryError(code, file, line, message);
    };
    const words = raw.replace(/#.*$/, '').trim().split(/\s+/).filter(Boolean);
    const keyword = words[0];
    if (keyword === undefined) return;
    switch (keyword) {
      case '$INCLUDE':
      case '$INCLUDE-': {
        if (words.length !== 2) fail('syntax', `${keyword} takes one file name`);
        const target = path.resolve(path.dirname(file), words[1]!);
        if (stack.includes(target) || stack.length >= MAX_INCLUDE_DEPTH) fail('include', `${keyword} ${words[1]} would include itself`);
        const included = read(target);
        if (included === undefined) {
          if (keyword === '$INCLUDE-') return;
          fail('include', `${keyword} ${words[1]}: no such file`);
        }
        parseFile(dictionary, target, included!, read, pending, [...stack, target]);
        return;
      }
      case 'VENDOR': {
        if (words.length < 3 || words.length > 4) fail('syntax', 'VENDOR takes a name, a number and optionally format=');
        const [, name, number, option] = words as [string, string, string, string | undefined];
        checkName(name, fail);
        const id = parseNumber(number);
        if (id === undefined || id > 0xffffff) fail('syntax', `VENDOR ${name}: ${number} is not a vendor number`);
        let unsupported: string | undefined;
        if (option !== undefined) {
          const format = /^format=(\d),(\d)(,c)?$/.exec(option);
          if (!format) fail('syntax', `VENDOR ${name}: ${option} is not format=T,L[,c]`);
          if (option !== 'format=1,1') unsupported = `vendor ${name} uses ${option}; Tollgate encodes format=1,1 only`;
        }
        const existing = dictionary.vendors.get(name.toLowerCase());
        if (existing && existing.id !== id) fail('conflict', `VENDOR ${name} is already ${existing.id}`);
        dictionary.vendors.set(name.toLowerCase(), { name, id: id!, ...(unsupported ? { unsupported } : {}) });
        return;
      }
      case 'BEGIN-VENDOR': {
        if (words.length < 2 || words.length > 3) fail('syntax', 'BEGIN-VENDOR takes a vendor name');
        if (vendorBlock) fail('vendor_block', `BEGIN-VENDOR ${words[1]} inside BEGIN-VENDOR ${vendorBlock.name}`);
        const vendor = dictionary.vendors.get(words[1]!.toLowerCase());
        if (!vendor) fail('unknown_vendor', `BEGIN-VENDOR ${words[1]}: no VENDOR of that name`);
        const option = words[2];
        if (option !== undefined && !/^format=/.test(option)) fail('syntax', `BEGIN-VENDOR ${words[1]}: unknown option ${option}`);
        const unsupported =
          vendor!.unsupported ?? (option !== undefined ? `vendor ${vendor!.name} is declared with ${option}; not supported` : undefined);
        vendorBlock = { name: vendor!.name, id: vendor!.id, line, ...(unsupported ? { unsupported } : {}) };
        return;
      }
      case 'END-VENDOR': {
        if (words.length !== 2) fail('syntax', 'END-VENDOR takes a vendor name');
        if (!vendorBlock || vendorBlock.name.toLowerCase() !== words[1]!.toLowerCase()) {
          fail('vendor_block', `END-VENDOR ${words[1]} without BEGIN-VENDOR ${words[1]}`);
        }
        vendorBlock = undefined;
        return;
      }
      case 'BEGIN-TLV':
        if (words.length !== 2) fail('syntax', 'BEGIN-TLV takes an attribute name');
        tlvDepth += 1;
        return;
      case 'END-TLV':
        if (words.length !== 2 || tlvDepth === 0) fail('syntax', 'END-TLV without BEGIN-TLV');
        tlvDepth -= 1;
        return;
      case 'ATTRIBUTE': {
        if (words.length < 4 || words.length > 5) fail('syntax', 'ATTRIBUTE takes a name, a number, a type and optionally flags');
        const [, name, number, typeWord, flagWord] = words as [string, string, string, string, string | undefined];
        checkName(name, fail);
        const definition = defineAttribute(name, number, typeWord, flagWord, vendorBlock, tlvDepth > 0, `${file}:${line}`, fail);
        const existing = dictionary.attributes.get(name.toLowerCase());
        if (existing) {
          if (!sameDefinition(existing, definition))
            fail('conflict', `ATTRIBUTE ${name} is already defined differently at ${existing.definedAt}`);
          return;
        }
        dictionary.attributes.set(name.toLowerCase(), definition);
        return;
      }
      case 'VALUE': {
        if (words.length !== 4) fail('syntax', 'VALUE takes an attribute name, a value name and a number');
        const [, attribute, name, number] = words as [string, string, string, string];
        const value = parseNumber(number);
        if (value === undefined) fail('syntax', `VALUE ${attribute} ${name}: ${number} is not a number`);
        pending.push({ attribute, name, value: value!, at: { file, line } });
        return;
      }
      default:
        fail('syntax', `unknown keyword ${keyword}`);
    }
  });
  if (vendorBlock) throw new DictionaryError('vendor_block', file, vendorBlock.line, `BEGIN-VENDOR ${vendorBlock.name} has no END-VENDOR`);
  if (tlvDepth > 0) throw new DictionaryError('syntax', file, lines.length, 'BEGIN-TLV has no END-TLV');
}

function defineAttribute(
  name: string,
  number: string,
  typeWord: string,
  flagWord: string | undefined,
  vendor: { name: string; id: number; unsupported?: string } | undefined,
  inTlv: boolean,
  definedAt: string,
  fail: (code: DictionaryError['code'], message: string) => never,
): AttributeDefinition {
  const reasons: string[] = [];
  const nested = /^\d+(\.\d+)+$/.test(number);
  const parsed = nested ? Number(number.split('.').at(-1)) : parseNumber(number);
  if (parsed === undefined) fail('syntax', `ATTRIBUTE ${name}: ${number} is not an attribute number`);
  if (nested || inTlv) reasons.push('a TLV or extended attribute');
  else if (parsed! < 1 || parsed! > 255) reasons.push(`number ${parsed} is outside 1-255`);

  const typeMatch = /^([A-Za-z0-9-]+)(?:\[(\d+)\])?$/.exec(typeWord);
  if (!typeMatch) fail('syntax', `ATTRIBUTE ${name}: ${typeWord} is not a type`);
  const lower = typeMatch![1]!.toLowerCase();
  const type = TYPE_ALIASES[lower] ?? lower;
  if (!KNOWN_TYPES.has(type)) fail('syntax', `ATTRIBUTE ${name}: unknown type ${typeWord}`);
  if (!(ENCODABLE_TYPES as readonly string[]).includes(type)) reasons.push(`type ${type} is not supported`);
  const fixedLength = typeMatch![2] === undefined ? undefined : Number(typeMatch![2]);
  if (fixedLength !== undefined && type !== 'octets' && type !== 'string') fail('syntax', `ATTRIBUTE ${name}: only octets take a [length]`);

  for (const flag of flagWord?.split(',') ?? []) {
    const [key, value] = flag.split('=');
    if (!KNOWN_FLAGS.has(key!)) fail('syntax', `ATTRIBUTE ${name}: unknown flag ${flag}`);
    if (key === 'encrypt' && !/^[0-3]$/.test(value ?? '')) fail('syntax', `ATTRIBUTE ${name}: ${flag} is not encrypt=0..3`);
    // encrypt=0 is "not encrypted"; every other flag changes the encoding or is not on the wire.
    if (flag !== 'encrypt=0') reasons.push(`flag ${flag} is not supported`);
  }
  if (vendor?.unsupported) reasons.push(vendor.unsupported);
  return {
    name,
    number: parsed!,
    type,
    ...(vendor ? { vendor: { name: vendor.name, id: vendor.id } } : {}),
    ...(fixedLength !== undefined ? { fixedLength } : {}),
    values: new Map(),
    ...(reasons.length > 0 ? { unsupported: reasons.join('; ') } : {}),
    definedAt,
  };
}

/** The same attribute read twice (a file included twice, or two copies of one file) is no conflict. */
function sameDefinition(a: AttributeDefinition, b: AttributeDefinition): boolean {
  return a.number === b.number && a.type === b.type && a.vendor?.id === b.vendor?.id && a.fixedLength === b.fixedLength;
}

function checkName(name: string, fail: (code: DictionaryError['code'], message: string) => never): void {
  if (!NAME.test(name) || name.length > 128) fail('syntax', `${JSON.stringify(name)} is not a valid name`);
}

/** Decimal, or hex with 0x, as FreeRADIUS reads numbers. */
function parseNumber(text: string): number | undefined {
  if (/^\d{1,15}$/.test(text)) return Number(text);
  if (/^0x[0-9a-f]{1,12}$/i.test(text)) return Number.parseInt(text.slice(2), 16);
  return undefined;
}
