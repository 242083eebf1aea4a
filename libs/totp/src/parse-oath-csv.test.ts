/** The Azure MFA OATH hardware-token CSV parser and the CSV reader under it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isWholeFileError, parseOathCsv, type UpnCheck } from './parse-oath-csv.js';
import { readCsvRecords } from './read-csv-records.js';

const HEADER = 'upn,serial number,secret key,time interval,manufacturer,model';
const SEED_A = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const SEED_B = '2234567ABCDEF2234567ABCDEF';

/** A plain directory rule for these tests: lower case, user@domain. */
function simpleUpn(cell: string): UpnCheck {
  const upn = cell.toLowerCase();
  if (!upn) return { ok: false, problem: 'must not be empty' };
  return /^[^@\s]+@[^@\s]+$/.test(upn) ? { ok: true, upn } : { ok: false, problem: 'must look like user@domain' };
}
const parse = (csv: string) => parseOathCsv(csv, { canonicalUpn: simpleUpn });

test('a good file: every row parsed, defaults applied, seeds canonical', () => {
  const csv = [
    HEADER,
    `Helga@contoso.com,1234567,2234567abcdef2234567abcdef,60,Contoso,HardwareKey`,
    `bob@contoso.com,7654321,${SEED_A},30,Contoso,`,
    `carol@contoso.com,99,gezd gnbv gy3t qojq gezd gnbv gy3t qojq,30,,`,
  ].join('\n');
  const { tokens, errors } = parse(csv);
  assert.deepEqual(errors, []);
  assert.deepEqual(tokens, [
    {
      line: 2,
      upn: 'helga@contoso.com',
      serial: '1234567',
      secret: SEED_B,
      period: 60,
      digits: 6,
      manufacturer: 'Contoso',
      model: 'HardwareKey',
    },
    { line: 3, upn: 'bob@contoso.com', serial: '7654321', secret: SEED_A, period: 30, digits: 6, manufacturer: 'Contoso', model: null },
    { line: 4, upn: 'carol@contoso.com', serial: '99', secret: SEED_A, period: 30, digits: 6, manufacturer: null, model: null },
  ]);
});

test('bad base32 on line 3 is reported by line and field, without the secret, and the rest still parses', () => {
  const badSecret = 'ZZZZ1111ZZZZ1111ZZZZ';
  const csv = [HEADER, `a@x.org,1,${SEED_A},30,V,M`, `b@x.org,2,${badSecret},30,V,M`, `c@x.org,3,${SEED_A},30,V,M`].join('\r\n');
  const { tokens, errors } = parse(csv);
  assert.deepEqual(
    tokens.map((t) => t.line),
    [2, 4],
  );
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.line, 3);
  assert.equal(errors[0]!.field, 'secret key');
  assert.ok(!JSON.stringify(errors).includes('ZZZZ'), 'the error must not echo the secret');
  assert.ok(!JSON.stringify(errors).includes(badSecret.toLowerCase()));
});

test('row errors by field: interval, upn, serial, short seed, duplicates, extra fields, labels', () => {
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
    `i@x.org,10,${SEED_A},,V,M`, // 11: interval left empty (no guessing 30)
    `j@x.org,${'S'.repeat(129)},${SEED_A},30,${'V'.repeat(129)},"M\u0007"`, // 12: labels too long / with a control character
    `k@x.org,${'S'.repeat(128)},${SEED_A},30,${'V'.repeat(128)},Model 7`, // 13: 128 characters are fine
    `e@x.org,14,${SEED_A},60,V,M`, // 14: duplicate of line 6 again
  ].join('\n');
  const { tokens, errors } = parse(csv);
  assert.deepEqual(
    tokens.map((t) => [t.line, t.upn]),
    [
      [6, 'e@x.org'],
      [13, 'k@x.org'],
    ],
  );
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
      [11, 'time interval'],
      [12, 'serial number'],
      [12, 'manufacturer'],
      [12, 'model'],
      [14, 'upn'],
    ],
  );
  const message = (line: number, field = '') => errors.find((e) => e.line === line && (!field || e.field === field))!.message;
  assert.equal(message(8), 'appears more than once (first on line 6)');
  assert.equal(message(14), 'appears more than once (first on line 6)');
  assert.equal(message(7), 'must be at least 80 bits (16 Base32 characters)');
  assert.equal(message(2), 'must be 30 or 60 (seconds)');
  assert.equal(message(12, 'serial number'), 'must be at most 128 characters');
  assert.equal(message(12, 'model'), 'must not contain control characters');
});

test('the caller decides what a upn is: a bare name may take a default domain', () => {
  const canonicalUpn = (cell: string): UpnCheck => {
    if (cell === '') return { ok: false, problem: 'must not be empty' };
    const upn = (cell.includes('@') ? cell : `${cell}@contoso.com`).toLowerCase();
    return /^[a-z0-9.]+@contoso\.com$/.test(upn) ? { ok: true, upn } : { ok: false, problem: 'must be a contoso.com user' };
  };
  const csv = [
    HEADER,
    `Helga,1,${SEED_A},30,V,M`,
    `helga@Contoso.com,2,${SEED_A},30,V,M`,
    `bob@fabrikam.com,3,${SEED_A},30,V,M`,
    `,4,${SEED_A},30,V,M`,
  ].join('\n');
  const { tokens, errors } = parseOathCsv(csv, { canonicalUpn });
  assert.deepEqual(
    tokens.map((t) => [t.line, t.upn]),
    [[2, 'helga@contoso.com']],
  );
  assert.deepEqual(errors, [
    { line: 3, field: 'upn', message: 'appears more than once (first on line 2)' },
    { line: 4, field: 'upn', message: 'must be a contoso.com user' },
    { line: 5, field: 'upn', message: 'must not be empty' },
  ]);
  // The rule sees the cell trimmed, and only the upn cell.
  const seen: string[] = [];
  parseOathCsv(`${HEADER}\n  Helga@X.org ,1,${SEED_A},30,V,M`, {
    canonicalUpn: (cell) => {
      seen.push(cell);
      return simpleUpn(cell);
    },
  });
  assert.deepEqual(seen, ['Helga@X.org']);
});

test('header: case-insensitive, any order, extra columns ignored, manufacturer and model may be absent', () => {
  const csv = [`"Secret Key" , MODEL,UPN,Notes,Serial  Number,TIME INTERVAL`, `${SEED_A},K1,x@y.org,whatever,S-1,60`].join('\n');
  const { tokens, errors } = parse(csv);
  assert.deepEqual(errors, []);
  assert.deepEqual(tokens, [
    { line: 2, upn: 'x@y.org', serial: 'S-1', secret: SEED_A, period: 60, digits: 6, manufacturer: null, model: 'K1' },
  ]);
});

test('a file that cannot be read as a whole gives one whole-file error and no tokens', () => {
  const cases: Array<[string, string, number, RegExp]> = [
    ['', 'header', 1, /^the file has no header row$/],
    ['\n  \n', 'header', 1, /^the file has no header row$/],
    [`upn,time interval\na@b.c,30`, 'header', 1, /^missing column\(s\): serial number, secret key$/],
    [`\nupn,serial number,secret key\na@b.c,1,${SEED_A}`, 'header', 2, /^missing column\(s\): time interval$/],
    [`upn,serial number,secret key,time interval,UPN\na@b.c,1,${SEED_A},30,a@b.c`, 'header', 1, /column "upn" appears twice/],
    [`upn,serial number,"secret key"x,time interval\na@b.c,1,${SEED_A},30`, 'header', 1, /malformed/],
    [`${HEADER}\n\n`, 'csv', 1, /header but no token rows/],
    // An unclosed quote swallows every later row, so even the good rows before it are not returned.
    [
      [HEADER, `a@x.org,1,${SEED_A},30,V,M`, `c@x.org,3,"${SEED_A},30,V,M`, `d@x.org,4,${SEED_A},30,V,M`].join('\n'),
      'csv',
      3,
      /never closed/,
    ],
  ];
  for (const [csv, field, line, message] of cases) {
    const result = parse(csv);
    assert.equal(result.tokens.length, 0, JSON.stringify(csv));
    assert.equal(result.errors.length, 1, JSON.stringify(csv));
    const error = result.errors[0]!;
    assert.deepEqual([error.field, error.line], [field, line], JSON.stringify(csv));
    assert.match(error.message, message);
    assert.equal(isWholeFileError(error), true);
    assert.ok(!error.message.includes(SEED_A));
  }
  assert.equal(isWholeFileError({ line: 2, field: 'row', message: 'x' }), false);
  assert.equal(isWholeFileError({ line: 2, field: 'secret key', message: 'x' }), false);
});

test('quoted fields with commas, quotes and line breaks; BOM; CRLF; blank lines skipped', () => {
  const csv =
    '\uFEFF' +
    `${HEADER}\r\n` +
    `\r\n` +
    `"a@x.org","1,2","${SEED_A}","60","Vendor, Inc.","Key ""Pro"""\r\n` +
    `   \r\n` +
    `b@x.org,2,${SEED_A},30,V,M,"Multi\r\nLine note"\r\n` +
    `c@x.org,3,${SEED_A},30,V,M\r\n\r\n`;
  const { tokens, errors } = parse(csv.replace(HEADER, `${HEADER},notes`));
  assert.deepEqual(errors, []);
  assert.deepEqual(
    tokens.map((t) => [t.line, t.upn, t.serial, t.period, t.manufacturer, t.model]),
    [
      [3, 'a@x.org', '1,2', 60, 'Vendor, Inc.', 'Key "Pro"'],
      [5, 'b@x.org', '2', 30, 'V', 'M'],
      [7, 'c@x.org', '3', 30, 'V', 'M'],
    ],
  );
  // A line break is a control character: fine in a column we ignore, not in a label we keep.
  const inLabel = parse(`${HEADER}\nb@x.org,2,${SEED_A},30,"Multi\nLine",M\nc@x.org,3,${SEED_A},30,V,M`);
  assert.deepEqual(
    inLabel.errors.map((e) => [e.line, e.field]),
    [[2, 'manufacturer']],
  );
  assert.deepEqual(
    inLabel.tokens.map((t) => t.line),
    [4],
  );
});

test('text after a closing quote, or a quote inside a field, is a row error; the next rows still parse', () => {
  const csv = [
    HEADER,
    `a@x.org,1,"${SEED_A}"junk,30,V,M`,
    `b@x.org,2,${SEED_A},30,V,M`,
    `c@x.org,3,${SEED_A},30,Key 12" model,M`,
    `d@x.org,4,${SEED_A},30,V,M`,
  ].join('\n');
  const { tokens, errors } = parse(csv);
  assert.deepEqual(
    tokens.map((t) => t.upn),
    ['b@x.org', 'd@x.org'],
  );
  assert.deepEqual(errors, [
    { line: 2, field: 'row', message: 'text follows a closing quote' },
    { line: 4, field: 'row', message: 'a quote may only start a field (quote the whole field and double the quote)' },
  ]);
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
  assert.deepEqual(readCsvRecords('a,x"y",z\nb'), [
    { line: 1, fields: ['a', 'x"y"', 'z'], problem: 'quote_in_field' },
    { line: 2, fields: ['b'] },
  ]);
  assert.deepEqual(readCsvRecords('"x"y,z\nb'), [
    { line: 1, fields: ['x', 'z'], problem: 'text_after_quote' },
    { line: 2, fields: ['b'] },
  ]);
  assert.deepEqual(readCsvRecords('a\n"b\nc'), [
    { line: 1, fields: ['a'] },
    { line: 2, fields: ['b\nc'], problem: 'unterminated_quote' },
  ]);
});
