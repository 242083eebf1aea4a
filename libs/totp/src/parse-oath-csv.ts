import { parseBase32Seed } from './base32-seed.js';
import { TotpError } from './totp-error.js';
import { readCsvRecords, type CsvRecord } from './read-csv-records.js';
import { tokenLabelProblem } from './token-label.js';

/**
 * The Azure MFA / Entra "OATH tokens" CSV that hardware-token vendors ship:
 * `upn,serial number,secret key,time interval,manufacturer,model`, one token a row.
 * Header names are matched case-insensitively and in any order; unknown columns are ignored;
 * `manufacturer` and `model` may be absent. A bad row is reported by line and field and left
 * out (every bad field of it); a file that cannot be read as a whole (no or a bad header, a quote
 * never closed, no rows) gives one error with field `header` or `csv` and no tokens. Messages read
 * after the field name and never contain a cell's value, so the secret of a mistyped row cannot
 * leak into a UI or log. Hardware tokens here are always 6-digit SHA1.
 */
export interface OathCsvToken {
  line: number;
  upn: string;
  serial: string;
  /** Canonical Base32 (upper-case, no padding), validated. */
  secret: string;
  period: 30 | 60;
  digits: 6;
  manufacturer: string | null;
  model: string | null;
}

export type OathCsvField = 'csv' | 'header' | 'row' | 'upn' | 'serial number' | 'secret key' | 'time interval' | 'manufacturer' | 'model';

export interface OathCsvError {
  line: number;
  field: OathCsvField;
  message: string;
}

export interface OathCsvResult {
  tokens: OathCsvToken[];
  errors: OathCsvError[];
}

export type UpnCheck = { ok: true; upn: string } | { ok: false; problem: string };

export interface OathCsvOptions {
  /**
   * Turns a `upn` cell (trimmed, maybe empty) into the canonical UPN or says why it cannot be one
   * (the message reads after the field name). What a UPN is belongs to the user directory (its
   * default domain, its character rules), so the caller brings the same rule it applies elsewhere.
   */
  canonicalUpn: (cell: string) => UpnCheck;
}

/** An error about the file as a whole: nothing in it can be imported. */
export function isWholeFileError(error: OathCsvError): boolean {
  return error.field === 'header' || error.field === 'csv';
}

const COLUMNS = ['upn', 'serial number', 'secret key', 'time interval', 'manufacturer', 'model'] as const;
type Column = (typeof COLUMNS)[number];
// A period guessed wrong gives a token that never works, so the interval is not optional.
const REQUIRED: readonly Column[] = ['upn', 'serial number', 'secret key', 'time interval'];

const ROW_PROBLEMS: Record<NonNullable<CsvRecord['problem']>, string> = {
  unterminated_quote: 'a quoted field is not closed',
  text_after_quote: 'text follows a closing quote',
  quote_in_field: 'a quote may only start a field (quote the whole field and double the quote)',
};

function isBlank(fields: string[]): boolean {
  return fields.every((f) => f.trim() === '');
}

function normaliseHeader(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, ' ');
}

function fileError(line: number, field: 'csv' | 'header', message: string): OathCsvResult {
  return { tokens: [], errors: [{ line, field, message }] };
}

export function parseOathCsv(text: string, options: OathCsvOptions): OathCsvResult {
  const { canonicalUpn } = options;
  const records = readCsvRecords(text).filter((r) => r.problem || !isBlank(r.fields));
  // An unclosed quote swallows the rest of the file: no row after it can be trusted.
  const unclosed = records.find((r) => r.problem === 'unterminated_quote');
  if (unclosed)
    return fileError(unclosed.line, 'csv', 'a quoted field opened on this line is never closed, so the rest of the file cannot be read');
  const header = records.shift();
  if (!header) return fileError(1, 'header', 'the file has no header row');
  if (header.problem) return fileError(header.line, 'header', 'the header row is malformed');

  const index = new Map<Column, number>();
  for (const [i, name] of header.fields.entries()) {
    const column = normaliseHeader(name) as Column;
    if (!COLUMNS.includes(column)) continue; // extra columns are ignored
    if (index.has(column)) return fileError(header.line, 'header', `column "${column}" appears twice`);
    index.set(column, i);
  }
  const missing = REQUIRED.filter((c) => !index.has(c));
  if (missing.length > 0) return fileError(header.line, 'header', `missing column(s): ${missing.join(', ')}`);
  if (records.length === 0) return fileError(header.line, 'csv', 'the file has a header but no token rows');

  const tokens: OathCsvToken[] = [];
  const errors: OathCsvError[] = [];
  const seen = new Map<string, number>();
  for (const record of records) {
    const rowErrors: OathCsvError[] = [];
    const fail = (field: OathCsvField, message: string) => rowErrors.push({ line: record.line, field, message });
    const cell = (column: Column): string => {
      const i = index.get(column);
      return i === undefined ? '' : (record.fields[i] ?? '').trim();
    };

    if (record.problem) {
      fail('row', ROW_PROBLEMS[record.problem]);
      errors.push(...rowErrors);
      continue;
    }
    if (record.fields.length > header.fields.length && record.fields.slice(header.fields.length).some((f) => f.trim() !== '')) {
      fail('row', `the row has ${record.fields.length} fields, the header ${header.fields.length}`);
    }

    const upnCheck = canonicalUpn(cell('upn'));
    const upn = upnCheck.ok ? upnCheck.upn : '';
    if (!upnCheck.ok) fail('upn', upnCheck.problem);
    else if (seen.has(upn)) fail('upn', `appears more than once (first on line ${seen.get(upn)})`);

    const serial = cell('serial number');
    const serialProblem = serial ? tokenLabelProblem(serial) : 'must not be empty';
    if (serialProblem) fail('serial number', serialProblem);

    let secret = '';
    try {
      secret = parseBase32Seed(cell('secret key')).base32;
    } catch (error) {
      // TotpError messages never echo the seed; anything else is not described at all.
      fail('secret key', error instanceof TotpError ? error.message : 'must be a Base32 seed');
    }

    const interval = cell('time interval');
    if (interval !== '30' && interval !== '60') fail('time interval', 'must be 30 or 60 (seconds)');

    const manufacturer = cell('manufacturer');
    const model = cell('model');
    const manufacturerProblem = tokenLabelProblem(manufacturer);
    const modelProblem = tokenLabelProblem(model);
    if (manufacturerProblem) fail('manufacturer', manufacturerProblem);
    if (modelProblem) fail('model', modelProblem);

    if (rowErrors.length > 0) {
      errors.push(...rowErrors);
      continue;
    }
    seen.set(upn, record.line);
    const period = interval === '60' ? 60 : 30;
    tokens.push({ line: record.line, upn, serial, secret, period, digits: 6, manufacturer: manufacturer || null, model: model || null });
  }
  return { tokens, errors };
}
