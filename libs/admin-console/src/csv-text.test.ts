import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvCell, csvText } from './csv-text.js';

test('csvCell quotes, doubles quotes and defuses formulas', () => {
  const cases: [Parameters<typeof csvCell>[0], string][] = [
    ['alice@contoso.com', 'alice@contoso.com'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    [-1, '-1'],
    [42, '42'],
    [true, 'true'],
    [null, ''],
    [undefined, ''],
    ['', ''],
  ];
  for (const [input, expected] of cases) assert.equal(csvCell(input), expected, String(input));
});

test('csvText writes a header and rows with CRLF line ends', () => {
  assert.equal(
    csvText(
      ['at', 'user'],
      [
        ['2026-01-01T00:00:00.000Z', 'alice'],
        ['2026-01-01T00:01:00.000Z', 'b,ob'],
      ],
    ),
    'at,user\r\n2026-01-01T00:00:00.000Z,alice\r\n2026-01-01T00:01:00.000Z,"b,ob"\r\n',
  );
  assert.equal(csvText(['only'], []), 'only\r\n');
});
