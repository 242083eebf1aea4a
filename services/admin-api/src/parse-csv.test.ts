/** Tests for the CSV reader: quoting, line ends, BOM, line numbers, syntax errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv, CsvSyntaxError } from './parse-csv.js';

test('reads plain, quoted and multi-line fields with the line each record starts on', () => {
  const text = '\uFEFFa,b,c\r\n1,"two, too","say ""hi"""\r\n\r\n"multi\nline",,x\n  spaced  ,"",\n';
  assert.deepEqual(parseCsv(text), [
    { line: 1, fields: ['a', 'b', 'c'] },
    { line: 2, fields: ['1', 'two, too', 'say "hi"'] },
    { line: 4, fields: ['multi\nline', '', 'x'] },
    { line: 6, fields: ['  spaced  ', '', ''] },
  ]);
});

test('handles a last line without a line end, LF and lone CR', () => {
  assert.deepEqual(parseCsv('a,b\nc,d'), [
    { line: 1, fields: ['a', 'b'] },
    { line: 2, fields: ['c', 'd'] },
  ]);
  assert.deepEqual(parseCsv('a\rb\r'), [
    { line: 1, fields: ['a'] },
    { line: 2, fields: ['b'] },
  ]);
  assert.deepEqual(parseCsv(''), []);
  assert.deepEqual(parseCsv('\n\n'), []);
  assert.deepEqual(parseCsv('""'), [{ line: 1, fields: [''] }]);
});

test('reports syntax errors with their line', () => {
  const cases: Array<[string, number, RegExp]> = [
    ['a,b\n"open,c\nd', 2, /not closed/],
    ['a\n"x"y,z', 2, /after a closing quote/],
    ['a\nb\nx"y",z', 3, /quote may only start/],
  ];
  for (const [text, line, message] of cases) {
    assert.throws(
      () => parseCsv(text),
      (error: unknown) => error instanceof CsvSyntaxError && error.line === line && message.test(error.message),
      JSON.stringify(text),
    );
  }
});
