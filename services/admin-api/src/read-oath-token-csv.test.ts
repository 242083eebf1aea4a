/** Tests for the Azure MFA OATH token CSV reader. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readOathTokenCsv } from './read-oath-token-csv.js';

const SEED = '2234567abcdef2234567abcdef';

test('reads the documented example, with any header case and column order', () => {
  const text = `\uFEFFUPN,Serial Number,Secret Key,Time Interval,Manufacturer,Model\r\nHelga@contoso.com,1234567,${SEED},60,Contoso,HardwareKey\r\n`;
  assert.deepEqual(readOathTokenCsv(text, null), {
    rows: [
      { line: 2, upn: 'helga@contoso.com', serial: '1234567', secret: SEED.toUpperCase(), period: 60, manufacturer: 'Contoso', model: 'HardwareKey' },
    ],
    errors: [],
  });
  const reordered = `model,time interval,"secret key",upn,serial number\nK1,30,${SEED},bob,99\n`;
  assert.deepEqual(readOathTokenCsv(reordered, 'contoso.com').rows, [
    { line: 2, upn: 'bob@contoso.com', serial: '99', secret: SEED.toUpperCase(), period: 30, manufacturer: null, model: 'K1' },
  ]);
});

test('reports each bad row by line and field, never echoing the secret', () => {
  const text = [
    'upn,serial number,secret key,time interval,manufacturer,model',
    `a@contoso.com,1,${SEED},30,,`, // 2 ok
    `not a upn,2,${SEED},30,,`, // 3
    'b@contoso.com,3,NOTBASE32!!,30,,', // 4
    `c@contoso.com,4,${SEED},45,,`, // 5
    `d@contoso.com,,${SEED},30,,`, // 6
    `A@Contoso.com,5,${SEED},60,,`, // 7 duplicate of line 2
    '',
    `"e@contoso.com","6","${SEED}","30","Maker, Inc.","M"`, // 9 ok
  ].join('\n');
  const result = readOathTokenCsv(text, null);
  assert.deepEqual(result.rows.map((r) => [r.line, r.upn, r.manufacturer]), [
    [2, 'a@contoso.com', null],
    [9, 'e@contoso.com', 'Maker, Inc.'],
  ]);
  assert.deepEqual(result.errors.map((e) => [e.line, e.field]), [
    [3, 'upn'],
    [4, 'secret key'],
    [5, 'time interval'],
    [6, 'serial number'],
    [7, 'upn'],
  ]);
  assert.match(result.errors[4]!.message, /first on line 2/);
  assert.ok(!JSON.stringify(result.errors).includes('NOTBASE32'));
  assert.ok(!JSON.stringify(result.errors).toUpperCase().includes(SEED.toUpperCase()));
});

test('refuses files without the required columns or rows', () => {
  assert.deepEqual(readOathTokenCsv('upn,serial number,time interval\nx@y.com,1,30\n', null).errors, [
    { line: 1, field: 'header', message: 'missing column(s): secret key' },
  ]);
  assert.deepEqual(readOathTokenCsv('', null).errors, [{ line: 1, field: 'header', message: 'the file is empty' }]);
  assert.equal(readOathTokenCsv('upn,serial number,secret key,time interval\n', null).errors[0]!.field, 'csv');
  assert.deepEqual(readOathTokenCsv('upn,serial number,secret key,time interval\n"x,1,2,30\n', null).errors, [
    { line: 2, field: 'csv', message: 'a quoted field is not closed' },
  ]);
});
