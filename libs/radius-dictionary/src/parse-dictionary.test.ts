/** The parser against FreeRADIUS's own dictionary files, and malformed lines named by file and line. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { type Dictionary, DictionaryError, emptyDictionary, findAttribute } from './dictionary-model.js';
import { readFromDisk } from './load-dictionaries.js';
import { loadDictionaryFile, type ReadFile } from './parse-dictionary.js';

const FREERADIUS = '/usr/share/freeradius';

function loadReal(name: string): Dictionary {
  const dictionary = emptyDictionary();
  loadDictionaryFile(dictionary, `${FREERADIUS}/${name}`, readFromDisk);
  return dictionary;
}

function fromText(files: Record<string, string>, main = '/d/dictionary'): Dictionary {
  const dictionary = emptyDictionary();
  const read: ReadFile = (file) => files[file];
  loadDictionaryFile(dictionary, main, read);
  return dictionary;
}

test('FreeRADIUS dictionaries are installed (freeradius-common)', () => {
  assert.ok(existsSync(`${FREERADIUS}/dictionary.rfc2865`), 'install freeradius-common (.ci/run does)');
});

const realCases: Array<{
  file: string;
  name: string;
  number: number;
  type: string;
  vendor?: [string, number];
  values?: Array<[string, number]>;
  unsupported?: RegExp;
}> = [
  { file: 'dictionary.rfc2865', name: 'Filter-Id', number: 11, type: 'string' },
  { file: 'dictionary.rfc2865', name: 'Class', number: 25, type: 'octets' },
  { file: 'dictionary.rfc2865', name: 'Session-Timeout', number: 27, type: 'integer' },
  { file: 'dictionary.rfc2865', name: 'Framed-IP-Address', number: 8, type: 'ipaddr' },
  {
    file: 'dictionary.rfc2865',
    name: 'Service-Type',
    number: 6,
    type: 'integer',
    values: [
      ['Login-User', 1],
      ['Framed-User', 2],
      ['Administrative-User', 6],
    ],
  },
  { file: 'dictionary.rfc2865', name: 'User-Password', number: 2, type: 'string', unsupported: /flag encrypt=1/ },
  { file: 'dictionary.rfc2865', name: 'CHAP-Password', number: 3, type: 'octets' },
  { file: 'dictionary.fortinet', name: 'Fortinet-Group-Name', number: 1, type: 'string', vendor: ['Fortinet', 12356] },
  {
    file: 'dictionary.fortinet',
    name: 'Fortinet-WirelessController-Device-MAC',
    number: 23,
    type: 'ether',
    vendor: ['Fortinet', 12356],
    unsupported: /type ether/,
  },
  { file: 'dictionary.cisco', name: 'Cisco-AVPair', number: 1, type: 'string', vendor: ['Cisco', 9] },
  { file: 'dictionary.paloalto', name: 'PaloAlto-User-Group', number: 5, type: 'string', vendor: ['PaloAlto', 25461] },
  { file: 'dictionary.aruba', name: 'Aruba-User-Role', number: 1, type: 'string', vendor: ['Aruba', 14823] },
  {
    file: 'dictionary.aruba',
    name: 'Aruba-MPSK-Passphrase',
    number: 44,
    type: 'octets',
    vendor: ['Aruba', 14823],
    unsupported: /encrypt=2/,
  },
  { file: 'dictionary.juniper', name: 'Juniper-Local-User-Name', number: 1, type: 'string', vendor: ['Juniper', 2636] },
  { file: 'dictionary.microsoft', name: 'MS-Primary-DNS-Server', number: 28, type: 'ipaddr', vendor: ['Microsoft', 311] },
  {
    file: 'dictionary.microsoft',
    name: 'MS-MPPE-Send-Key',
    number: 16,
    type: 'octets',
    vendor: ['Microsoft', 311],
    unsupported: /encrypt=2/,
  },
  {
    file: 'dictionary.microsoft',
    name: 'MS-Quarantine-State',
    number: 45,
    type: 'integer',
    vendor: ['Microsoft', 311],
    values: [
      ['Full-Access', 0],
      ['Quarantine', 1],
    ],
  },
  // Tagged (RFC 2868) and TLV attributes load, but are refused for use.
  { file: 'dictionary.rfc2868', name: 'Tunnel-Type', number: 64, type: 'integer', unsupported: /has_tag/ },
  { file: 'dictionary.rfc6929', name: 'Extended-Attribute-1', number: 241, type: 'extended', unsupported: /type extended/ },
  // A vendor with format=2,1 keeps its attributes, refused with the reason.
  {
    file: 'dictionary.lucent',
    name: 'Lucent-Max-Shared-Users',
    number: 2,
    type: 'integer',
    vendor: ['Lucent', 4846],
    unsupported: /format=2,1/,
  },
];

for (const c of realCases) {
  test(`real dictionary: ${c.file} defines ${c.name}`, () => {
    const attribute = findAttribute(loadReal(c.file), c.name.toUpperCase());
    assert.ok(attribute, `${c.name} missing`);
    assert.equal(attribute.name, c.name);
    assert.equal(attribute.number, c.number);
    assert.equal(attribute.type, c.type);
    assert.deepEqual(attribute.vendor && [attribute.vendor.name, attribute.vendor.id], c.vendor);
    for (const [name, value] of c.values ?? []) assert.equal(attribute.values.get(name), value, `${c.name} ${name}`);
    if (c.unsupported) assert.match(attribute.unsupported ?? '', c.unsupported);
    else assert.equal(attribute.unsupported, undefined);
  });
}

test("real dictionary: FreeRADIUS's top-level file loads with every $INCLUDE", () => {
  const dictionary = loadReal('dictionary');
  assert.ok(dictionary.files.length > 150, `only ${dictionary.files.length} files read`);
  assert.ok(dictionary.attributes.size > 5000);
  assert.equal(findAttribute(dictionary, 'WiMAX-Capability')?.unsupported !== undefined, true);
});

test('real dictionary: every dictionary.* file of freeradius-common loads on its own', () => {
  for (const name of readdirSync(FREERADIUS).filter((n) => n.startsWith('dictionary.'))) {
    // Some files build on another (VALUEs for its attributes, BEGIN-VENDOR of its VENDOR): that is
    // the only error allowed; any syntax error in a real file would fail here.
    const dictionary = emptyDictionary();
    loadDictionaryFile(dictionary, `${FREERADIUS}/dictionary.rfc2865`, readFromDisk);
    try {
      loadDictionaryFile(dictionary, `${FREERADIUS}/${name}`, readFromDisk);
    } catch (error) {
      if (error instanceof DictionaryError && (error.code === 'unknown_attribute' || error.code === 'unknown_vendor')) continue;
      throw error;
    }
  }
});

const malformed: Array<{ text: string; code: DictionaryError['code']; line: number; message: RegExp }> = [
  { text: 'ATTRIBUTE\tFoo\t1', code: 'syntax', line: 1, message: /takes a name, a number, a type/ },
  { text: '# ok\nATTRIBUTE Foo one string', code: 'syntax', line: 2, message: /one is not an attribute number/ },
  { text: 'ATTRIBUTE Foo 1 strng', code: 'syntax', line: 1, message: /unknown type strng/ },
  { text: 'ATTRIBUTE Foo 1 string encrypt=9', code: 'syntax', line: 1, message: /encrypt=9/ },
  { text: 'ATTRIBUTE Foo 1 string wibble', code: 'syntax', line: 1, message: /unknown flag wibble/ },
  { text: 'ATTRIBUTE "Foo" 1 string', code: 'syntax', line: 1, message: /not a valid name/ },
  { text: 'ATTRIBUTE Foo 1 integer[4]', code: 'syntax', line: 1, message: /only octets take a \[length\]/ },
  { text: 'VENDOR Acme', code: 'syntax', line: 1, message: /VENDOR takes/ },
  { text: 'VENDOR Acme 99 format=x', code: 'syntax', line: 1, message: /not format=T,L/ },
  { text: '\n\nBEGIN-VENDOR Acme', code: 'unknown_vendor', line: 3, message: /no VENDOR of that name/ },
  { text: 'VENDOR Acme 99\nBEGIN-VENDOR Acme\nATTRIBUTE A 1 string', code: 'vendor_block', line: 2, message: /has no END-VENDOR/ },
  { text: 'VENDOR Acme 99\nEND-VENDOR Acme', code: 'vendor_block', line: 2, message: /without BEGIN-VENDOR/ },
  {
    text: 'VENDOR Acme 99\nVENDOR Other 98\nBEGIN-VENDOR Acme\nEND-VENDOR Other',
    code: 'vendor_block',
    line: 4,
    message: /without BEGIN-VENDOR/,
  },
  { text: 'VENDOR Acme 99\nVENDOR Acme 98', code: 'conflict', line: 2, message: /already 99/ },
  {
    text: 'ATTRIBUTE Foo 1 string\nATTRIBUTE Foo 2 string',
    code: 'conflict',
    line: 2,
    message: /defined differently at \/d\/dictionary:1/,
  },
  { text: 'VALUE Foo Bar 1', code: 'unknown_attribute', line: 1, message: /VALUE for unknown attribute Foo/ },
  { text: 'ATTRIBUTE Foo 1 integer\nVALUE Foo Bar x', code: 'syntax', line: 2, message: /x is not a number/ },
  { text: 'PROTOCOL RADIUS 1', code: 'syntax', line: 1, message: /unknown keyword PROTOCOL/ },
  { text: '$INCLUDE dictionary.missing', code: 'include', line: 1, message: /no such file/ },
  { text: '$INCLUDE dictionary', code: 'include', line: 1, message: /would include itself/ },
  { text: 'END-TLV Foo', code: 'syntax', line: 1, message: /END-TLV without BEGIN-TLV/ },
];

for (const c of malformed) {
  test(`malformed: ${JSON.stringify(c.text)} is ${c.code} at line ${c.line}`, () => {
    assert.throws(
      () => fromText({ '/d/dictionary': c.text }),
      (error: unknown) => {
        assert.ok(error instanceof DictionaryError);
        assert.equal(error.code, c.code);
        assert.equal(error.file, '/d/dictionary');
        assert.equal(error.line, c.line);
        assert.ok(error.message.startsWith(`/d/dictionary:${c.line}: `), error.message);
        assert.match(error.message, c.message);
        return true;
      },
    );
  });
}

test('malformed: an error in an included file names that file and its line', () => {
  assert.throws(
    () => fromText({ '/d/dictionary': '$INCLUDE sub/dictionary.acme', '/d/sub/dictionary.acme': 'VENDOR Acme 99\n\nATTRIBUTE X 1' }),
    (error: unknown) => error instanceof DictionaryError && error.file === '/d/sub/dictionary.acme' && error.line === 3,
  );
});

test('syntax: VALUE before its ATTRIBUTE, hex numbers, CRLF, $INCLUDE- of a missing file, identical redefinition', () => {
  const dictionary = fromText({
    '/d/dictionary': 'VALUE Acme-Mode Fast 0x10\r\n$INCLUDE- dictionary.absent\r\n$INCLUDE dictionary.acme\r\n$INCLUDE dictionary.acme\r\n',
    '/d/dictionary.acme':
      'VENDOR Acme 0x63\nBEGIN-VENDOR Acme\nATTRIBUTE Acme-Mode 0x02 integer # trailing comment\nATTRIBUTE Acme-Key 3 octets[4]\nEND-VENDOR Acme\n',
  });
  const mode = findAttribute(dictionary, 'acme-mode');
  assert.deepEqual(mode && { number: mode.number, vendor: mode.vendor, fast: mode.values.get('Fast') }, {
    number: 2,
    vendor: { name: 'Acme', id: 99 },
    fast: 16,
  });
  assert.equal(findAttribute(dictionary, 'Acme-Key')?.fixedLength, 4);
  assert.deepEqual(dictionary.files, ['/d/dictionary', '/d/dictionary.acme', '/d/dictionary.acme']);
});
