/** Wire bytes of standard attributes and Vendor-Specifics, up to the one-octet length limit. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AttributeEncodeError, encodeAttribute } from './encode-attribute.js';
import { findAttribute } from './dictionary-model.js';
import { loadDictionaries } from './load-dictionaries.js';
import { validateReplyAttribute } from './validate-reply-attribute.js';

const dictionary = loadDictionaries();
/** Header, vendor header and value written apart, so each case reads as its layout. */
const wire = (...parts: string[]) => parts.join('');

function encoded(name: string, value: string | number): string {
  const result = validateReplyAttribute(dictionary, { name, value });
  assert.ok(result.ok, result.ok ? '' : result.message);
  return encodeAttribute(result).toString('hex');
}

const cases: Array<{ name: string; value: string | number; hex: string }> = [
  // type 11, length 2+5
  { name: 'Filter-Id', value: 'staff', hex: wire('0b07', Buffer.from('staff').toString('hex')) },
  { name: 'Session-Timeout', value: 3600, hex: '1b0600000e10' },
  { name: 'Framed-IP-Address', value: '10.0.0.7', hex: '08060a000007' },
  { name: 'Class', value: '0xdeadbeef', hex: '1906deadbeef' },
  // 26, length 8+6, vendor 12356 (0x3044), vendor type 1, vendor length 2+6
  { name: 'Fortinet-Group-Name', value: 'admins', hex: wire('1a0e00003044', '0108', Buffer.from('admins').toString('hex')) },
  // Cisco 9, type 1
  { name: 'Cisco-AVPair', value: 'a=b', hex: wire('1a0b00000009', '0105', Buffer.from('a=b').toString('hex')) },
  // Palo Alto 25461 (0x6375), type 5
  { name: 'PaloAlto-User-Group', value: 'g', hex: wire('1a0900006375', '0503', '67') },
  // Aruba 14823 (0x39e7), type 1
  { name: 'Aruba-User-Role', value: 'r', hex: wire('1a09000039e7', '0103', '72') },
  // Juniper 2636 (0x0a4c), type 1
  { name: 'Juniper-Local-User-Name', value: 'u', hex: wire('1a0900000a4c', '0103', '75') },
  // Microsoft 311 (0x0137), type 28, ipaddr
  { name: 'MS-Primary-DNS-Server', value: '192.0.2.53', hex: wire('1a0c00000137', '1c06', 'c0000235') },
];

for (const c of cases) {
  test(`encode: ${c.name}`, () => assert.equal(encoded(c.name, c.value), c.hex));
}

test('encode: the longest values fill exactly 255 octets', () => {
  const standard = Buffer.from(encoded('Filter-Id', 'x'.repeat(253)), 'hex');
  assert.deepEqual([standard.length, standard[0], standard[1]], [255, 11, 255]);
  const vsa = Buffer.from(encoded('Fortinet-Group-Name', 'x'.repeat(247)), 'hex');
  assert.deepEqual([vsa.length, vsa[1], vsa[7]], [255, 255, 249]);
});

test('encode: a value that skipped validation and is too long is refused with a code', () => {
  const attribute = findAttribute(dictionary, 'Fortinet-Group-Name')!;
  assert.throws(
    () => encodeAttribute({ attribute, octets: Buffer.alloc(248) }),
    (error: unknown) => error instanceof AttributeEncodeError && error.code === 'too_long',
  );
});
