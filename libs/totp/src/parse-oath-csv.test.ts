/** The Azure MFA OATH hardware-token CSV parser and the CSV reader under it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOathCsv } from './parse-oath-csv.js';
import { readCsvRecords } from './read-csv-records.js';

const HEADER = 'upn,serial number,secret key,time interval,manufacturer,model';
const SEED_A = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const SEED_B = '2234567ABCDEF2234567ABCDEF';

test('a good file: every row parsed, defaults applied, seeds canonical', () => {
  const csv = [
    HEADER,
    `Helga@contoso.com,1234567,2234567abcdef2234567abcdef,60,Contoso,HardwareKey`,
    `bob@contoso.com,7654321,${SEED_A},30,Contoso,`,
    `carol@contoso.com,99,gezd gnbv gy3t qojq gezd gnbv gy3t qojq,,,`,
  ].join('\n');
  const { tokens, errors } = parseOathCsv(csv);
  assert.deepEqual(errors, []);
  assert.deepEqual(tokens, [
    { line: 2, upn: 'helga@contoso.com', serial: '1234567', secret: SEED_B, period: 60, digits: 6, manufacturer: 'Contoso', model: 'HardwareKey' },
    { line: 3, upn: 'bob@contoso.com', serial: '7654321', secret: SEED_A, period: 30, digits: 6, manufacturer: 'Contoso', model: null },
    { line: 4, upn: 'carol@contoso.com', serial: '99', secret: SEED_A, period: 30, digits: 6, manufacturer: null, model: null },
  ]);
});

test('bad base32 on line 3 is reported by line and field, without the secret, and the rest still parses', () => {
  const badSecret = 'ZZZZ1111ZZZZ1111ZZZZ';
  const csv = [HEADER, `a@x.org,1,${SEED_A},30,V,M`, `b@x.org,2,${badSecret},30,V,M`, `c@x.org,3,${SEED_A},30,V,M`].join('\r\n');
  const { tokens, errors } = parseOathCsv(csv);
  assert.deepEqual(tokens.map((t) => t.line), [2, 4]);
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.line, 3);
  assert.equal(errors[0]!.field, 'secret key');
  assert.ok(!JSON.stringify(errors).includes('ZZZZ'), 'the error must not echo the secret');
  assert.ok(!JSON.stringify(errors).includes(badSecret.toLowerCase()));
});

test('row errors by field: interval, upn, serial, short seed, duplicates, extra fields', () => {
  const csv = [
    HEADER,
    `a@x.org,1,${SEED_A},45,V,M`, // 2: bad interval
    `,2,${SEED_A},30,V,M`, // 3: missing upn
    `not-an-email,3,${SEED_A},30,V,M`, // 4: malformed upn
    `d@x.org,,${SEED_A},30,V,M`, // 5: missing serial
    `e@x.org,5,GEZDGNBVGY3TQOJQ,30,V,M`, // 6: 10 bytes: accepted (80-bit hardware seed)
    `f@x.org,6,GEZDGNBV,30,V,M`, // 7: 5 bytes: too short
    `E@X.org,7,${SEED_A},30,V,M`, // 8: duplicate of line 6 (case-insensitive)
    `g@x.org,8,${SEED_A},30,V,M,surplus`, // 9: more fields than the header
    `h@x.org,9,,abc,V,M`, // 10: two errors in one row
  ].join('\n');
  const { tokens, errors } = parseOathCsv(csv);
  assert.deepEqual(tokens.map((t) => [t.line, t.upn]), [[6, 'e@x.org']]);
  assert.deepEqual(
    errors.map((e) => [e.line, e.field]),
    [
      [2, 'time interval'],
      [3, 'upn'],
      [4, 'upn'],
      [5, 'serial number'],
      [7, 'secret key'],
      [8, 'upn'],
      [9, 'row'],
      [10, 'secret key'],
      [10, 'time interval'],
    ],
  );
  assert.match(errors.find((e) => e.line === 8)!.message, /line 6/);
  assert.match(errors.find((e) => e.line === 7)!.message, /at least 10 bytes/);
});

test('header: case-insensitive, any order, extra columns ignored, optional columns may be absent', () => {
  const csv = [`"Secret Key" , MODEL,UPN,Notes,Serial  Number`, `${SEED_A},K1,x@y.org,whatever,S-1`].join('\n');
  const { tokens, errors } = parseOathCsv(csv);
  assert.deepEqual(errors, []);
  assert.deepEqual(tokens, [{ line: 2, upn: 'x@y.org', serial: 'S-1', secret: SEED_A, period: 30, digits: 6, manufacturer: null, model: 'K1' }]);
});

test('header problems stop the parse with a header error', () => {
  assert.deepEqual(parseOathCsv(''), { tokens: [], errors: [{ line: 1, field: 'header', message: 'the file has no header row' }] });
  const missing = parseOathCsv(`upn,time interval\na@b.c,30`);
  assert.equal(missing.tokens.length, 0);
  assert.deepEqual(missing.errors.map((e) => e.field), ['header']);
  assert.match(missing.errors[0]!.message, /serial number, secret key/);
  const twice = parseOathCsv(`upn,serial number,secret key,UPN\na@b.c,1,${SEED_A},a@b.c`);
  assert.equal(twice.tokens.length, 0);
  assert.match(twice.errors[0]!.message, /twice/);
});

test('quoted fields with commas, quotes and line breaks; BOM; CRLF; blank lines skipped', () => {
  const csv =
    '\uFEFF' +
    `${HEADER}\r\n` +
    `\r\n` +
    `"a@x.org","1,2","${SEED_A}","60","Vendor, Inc.","Key ""Pro"""\r\n` +
    `   \r\n` +
    `b@x.org,2,${SEED_A},30,"Multi\r\nLine",M\r\n` +
    `c@x.org,3,${SEED_A},30,V,M\r\n\r\n`;
  const { tokens, errors } = parseOathCsv(csv);
  assert.deepEqual(errors, []);
  assert.deepEqual(tokens.map((t) => [t.line, t.upn, t.serial, t.period, t.manufacturer, t.model]), [
    [3, 'a@x.org', '1,2', 60, 'Vendor, Inc.', 'Key "Pro"'],
    [5, 'b@x.org', '2', 30, 'Multi\r\nLine', 'M'],
    [7, 'c@x.org', '3', 30, 'V', 'M'],
  ]);
});

test('malformed quoting is a row error; an unclosed quote ends the file', () => {
  const csv = [HEADER, `a@x.org,1,"${SEED_A}"junk,30,V,M`, `b@x.org,2,${SEED_A},30,V,M`, `c@x.org,3,"${SEED_A},30,V,M`, `d@x.org,4,${SEED_A},30,V,M`].join('\n');
  const { tokens, errors } = parseOathCsv(csv);
  assert.deepEqual(tokens.map((t) => t.upn), ['b@x.org']);
  assert.deepEqual(errors.map((e) => [e.line, e.field]), [[2, 'row'], [4, 'row']]);
  assert.ok(!JSON.stringify(errors).includes(SEED_A));
});

test('readCsvRecords: line numbers, empty fields, trailing comma, lone CR', () => {
  assert.deepEqual(readCsvRecords('a,b\rc,,\n"x\ny",z'), [
    { line: 1, fields: ['a', 'b'] },
    { line: 2, fields: ['c', '', ''] },
    { line: 3, fields: ['x\ny', 'z'] },
  ]);
  assert.deepEqual(readCsvRecords('a,'), [{ line: 1, fields: ['a', ''] }]);
  assert.deepEqual(readCsvRecords('"open'), [{ line: 1, fields: ['open'], problem: 'unterminated_quote' }]);
  assert.deepEqual(readCsvRecords(' "a, b" ,c d, "e"'), [{ line: 1, fields: ['a, b', 'c d', 'e'] }]);
});
