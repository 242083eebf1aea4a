import { parseBase32Seed } from './base32-seed.js';
import { TotpError } from './totp-error.js';
import { readCsvRecords } from './read-csv-records.js';

/**
 * The Azure MFA / Entra "OATH tokens" CSV that hardware-token vendors ship:
 * `upn,serial number,secret key,time interval,manufacturer,model`, one token a row.
 * Header names are matched case-insensitively and in any order; `time interval`,
 * `manufacturer` and `model` may be absent (interval then 30 s). A bad row is reported by
 * line and field and left out; messages never contain a cell's value, so the secret of a
 * mistyped row cannot leak into a UI or log. Hardware tokens here are always 6-digit SHA1.
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

export type OathCsvField = 'header' | 'row' | 'upn' | 'serial number' | 'secret key' | 'time interval' | 'manufacturer' | 'model';

export interface OathCsvError {
  line: number;
  field: OathCsvField;
  message: string;
}

export interface OathCsvResult {
  tokens: OathCsvToken[];
  errors: OathCsvError[];
}

const COLUMNS = ['upn', 'serial number', 'secret key', 'time interval', 'manufacturer', 'model'] as const;
type Column = (typeof COLUMNS)[number];
const REQUIRED: readonly Column[] = ['upn', 'serial number', 'secret key'];
const MAX_TEXT = 256;
const UPN = /^[^@\s]+@[^@\s]+$/;

function isBlank(fields: string[]): boolean {
  return fields.every((f) => f.trim() === '');
}

function normaliseHeader(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, ' ');
}

export function parseOathCsv(text: string): OathCsvResult {
  const tokens: OathCsvToken[] = [];
  const errors: OathCsvError[] = [];
  const records = readCsvRecords(text).filter((r) => r.problem || !isBlank(r.fields));
  const header = records.shift();
  if (!header) {
    errors.push({ line: 1, field: 'header', message: 'the file has no header row' });
    return { tokens, errors };
  }

  const index = new Map<Column, number>();
  header.fields.forEach((name, i) => {
    const column = normaliseHeader(name) as Column;
    if (!COLUMNS.includes(column)) return; // extra columns are ignored
    if (index.has(column)) errors.push({ line: header.line, field: 'header', message: `column "${column}" appears twice` });
    else index.set(column, i);
  });
  const missing = REQUIRED.filter((c) => !index.has(c));
  if (header.problem || missing.length > 0) {
    const message = header.problem ? 'the header row is malformed' : `missing column(s): ${missing.join(', ')}`;
    errors.push({ line: header.line, field: 'header', message });
    return { tokens, errors };
  }
  if (errors.length > 0) return { tokens, errors };

  const seen = new Map<string, number>();
  for (const record of records) {
    const rowErrors: OathCsvError[] = [];
    const fail = (field: OathCsvField, message: string) => rowErrors.push({ line: record.line, field, message });
    const cell = (column: Column): string => {
      const i = index.get(column);
      return i === undefined ? '' : (record.fields[i] ?? '').trim();
    };

    if (record.problem) {
      fail('row', record.problem === 'unterminated_quote' ? 'a quoted field is not closed' : 'text follows a closing quote');
      errors.push(...rowErrors);
      continue;
    }
    if (record.fields.length > header.fields.length && record.fields.slice(header.fields.length).some((f) => f.trim() !== '')) {
      fail('row', `the row has ${record.fields.length} fields, the header ${header.fields.length}`);
    }

    const upn = cell('upn').toLowerCase();
    if (!upn) fail('upn', 'upn is missing');
    else if (upn.length > MAX_TEXT || !UPN.test(upn)) fail('upn', 'upn must look like user@domain');
    else if (seen.has(upn)) fail('upn', `upn already has a token on line ${seen.get(upn)}`);

    const serial = cell('serial number');
    if (!serial) fail('serial number', 'serial number is missing');
    else if (serial.length > MAX_TEXT) fail('serial number', `serial number is longer than ${MAX_TEXT} characters`);

    let secret = '';
    const rawSecret = cell('secret key');
    if (!rawSecret) fail('secret key', 'secret key is missing');
    else {
      try {
        secret = parseBase32Seed(rawSecret).base32;
      } catch (error) {
        // TotpError messages never echo the seed.
        fail('secret key', error instanceof TotpError ? error.message : 'secret key is not valid base32');
      }
    }

    const interval = cell('time interval');
    let period: 30 | 60 = 30;
    if (interval === '60') period = 60;
    else if (interval !== '' && interval !== '30') fail('time interval', 'time interval must be 30 or 60');

    const manufacturer = cell('manufacturer');
    const model = cell('model');
    if (manufacturer.length > MAX_TEXT) fail('manufacturer', `manufacturer is longer than ${MAX_TEXT} characters`);
    if (model.length > MAX_TEXT) fail('model', `model is longer than ${MAX_TEXT} characters`);

    if (rowErrors.length > 0) {
      errors.push(...rowErrors);
      continue;
    }
    seen.set(upn, record.line);
    tokens.push({ line: record.line, upn, serial, secret, period, digits: 6, manufacturer: manufacturer || null, model: model || null });
  }
  return { tokens, errors };
}
