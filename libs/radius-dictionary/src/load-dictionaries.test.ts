/** The shipped dictionary and RADIUS_DICTIONARY_DIR on disk. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DictionaryError, findAttribute } from './dictionary-model.js';
import { listAttributes } from './dictionary-listing.js';
import { loadDictionaries } from './load-dictionaries.js';

test('shipped: the attributes Tollgate documents are all there and sendable', () => {
  const dictionary = loadDictionaries();
  const expected: Array<[string, number, number | undefined]> = [
    ['Filter-Id', 11, undefined],
    ['Class', 25, undefined],
    ['Session-Timeout', 27, undefined],
    ['Idle-Timeout', 28, undefined],
    ['Framed-IP-Address', 8, undefined],
    ['Framed-IP-Netmask', 9, undefined],
    ['Framed-Pool', 88, undefined],
    ['Reply-Message', 18, undefined],
    ['Service-Type', 6, undefined],
    ['Fortinet-Group-Name', 1, 12356],
    ['Cisco-AVPair', 1, 9],
    ['PaloAlto-User-Group', 5, 25461],
    ['Aruba-User-Role', 1, 14823],
    ['Juniper-Local-User-Name', 1, 2636],
    ['MS-Primary-DNS-Server', 28, 311],
  ];
  for (const [name, number, vendor] of expected) {
    const attribute = findAttribute(dictionary, name);
    assert.ok(attribute, name);
    assert.deepEqual([attribute.number, attribute.vendor?.id, attribute.unsupported], [number, vendor, undefined], name);
  }
  // The Microsoft copy is trimmed: no MS-CHAP or MPPE key attributes.
  assert.equal(findAttribute(dictionary, 'MS-CHAP-MPPE-Keys'), undefined);
  assert.equal(findAttribute(dictionary, 'MS-MPPE-Send-Key'), undefined);
  assert.ok(
    listAttributes(dictionary)
      .find((a) => a.name === 'Service-Type')
      ?.values.some((v) => v.name === 'Framed-User' && v.value === 2),
  );
});

test('directory: every dictionary.* file is added on top of the shipped ones, in name order; other files are ignored', () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'tollgate-dict-'));
  try {
    writeFileSync(path.join(directory, 'dictionary.b-acme'), 'BEGIN-VENDOR Acme\nATTRIBUTE Acme-Role 1 string\nEND-VENDOR Acme\n');
    writeFileSync(path.join(directory, 'dictionary.a-vendor'), 'VENDOR Acme 65000\n');
    writeFileSync(path.join(directory, 'README'), 'not a dictionary');
    mkdirSync(path.join(directory, 'dictionary.dir'));
    const dictionary = loadDictionaries({ directory });
    assert.deepEqual(findAttribute(dictionary, 'Acme-Role')?.vendor, { name: 'Acme', id: 65000 });
    assert.ok(findAttribute(dictionary, 'Fortinet-Group-Name'));
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test('directory: a redefinition of a shipped attribute, or a missing directory, stops the load with file and line', () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'tollgate-dict-'));
  try {
    const file = path.join(directory, 'dictionary.bad');
    writeFileSync(file, '# mine\nATTRIBUTE Filter-Id 99 string\n');
    assert.throws(
      () => loadDictionaries({ directory }),
      (error: unknown) => error instanceof DictionaryError && error.code === 'conflict' && error.message.startsWith(`${file}:2: `),
    );
    assert.throws(
      () => loadDictionaries({ directory: path.join(directory, 'absent') }),
      (error: unknown) => error instanceof DictionaryError && error.code === 'include' && /RADIUS_DICTIONARY_DIR/.test(error.message),
    );
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
