/**
 * Reads the Azure MFA / Entra "OATH tokens" hardware-token CSV
 * (`upn,serial number,secret key,time interval,manufacturer,model`) into validated rows and
 * per-line errors. Header names are matched case-insensitively in any order; unknown columns are
 * ignored. Nothing here touches the database, and no error message ever contains a secret key.
 */
import { checkBase32Seed } from './base32-seed.js';
import { canonicalUpn } from './canonical-upn.js';
import { parseCsv, CsvSyntaxError } from './parse-csv.js';

export interface OathTokenRow {
  line: number;
  upn: string;
  serial: string;
  /** Canonical Base32 seed. */
  secret: string;
  period: 30 | 60;
  manufacturer: string | null;
  model: string | null;
}

export interface RowError {
  line: number;
  field: string;
  message: string;
}

export interface OathTokenCsv {
  rows: OathTokenRow[];
  errors: RowError[];
}

const REQUIRED = ['upn', 'serial number', 'secret key', 'time interval'] as const;
const OPTIONAL = ['manufacturer', 'model'] as const;
type Column = (typeof REQUIRED)[number] | (typeof OPTIONAL)[number];
const MAX_TEXT = 128;
const PRINTABLE = /^[\x20-\x7e\u00a0-\uffff]*$/;

export function readOathTokenCsv(text: string, domain: string | null | undefined): OathTokenCsv {
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) return { rows: [], errors: [{ line: error.line, field: 'csv', message: error.message }] };
    throw error;
  }
  const header = records[0];
  if (!header) return { rows: [], errors: [{ line: 1, field: 'header', message: 'the file is empty' }] };

  const index = new Map<Column, number>();
  header.fields.forEach((name, i) => {
    const key = name.trim().toLowerCase().replace(/\s+/g, ' ') as Column;
    if (([...REQUIRED, ...OPTIONAL] as string[]).includes(key) && !index.has(key)) index.set(key, i);
  });
  const missing = REQUIRED.filter((c) => !index.has(c));
  if (missing.length > 0) {
    return {
      rows: [],
      errors: [{ line: header.line, field: 'header', message: `missing column(s): ${missing.join(', ')}` }],
    };
  }

  const rows: OathTokenRow[] = [];
  const errors: RowError[] = [];
  const firstLineOf = new Map<string, number>();
  for (const record of records.slice(1)) {
    const cell = (column: Column): string => {
      const i = index.get(column);
      return i === undefined ? '' : (record.fields[i] ?? '').trim();
    };
    const fail = (field: string, message: string): void => void errors.push({ line: record.line, field, message });

    const upn = canonicalUpn(cell('upn'), domain);
    if (!upn.ok) {
      fail('upn', upn.problem);
      continue;
    }
    const serial = cell('serial number');
    if (serial === '' || serial.length > MAX_TEXT || !PRINTABLE.test(serial)) {
      fail('serial number', `must be 1 to ${MAX_TEXT} printable characters`);
      continue;
    }
    const seed = checkBase32Seed(cell('secret key'));
    if (!seed.ok) {
      fail('secret key', seed.problem);
      continue;
    }
    const interval = cell('time interval');
    if (interval !== '30' && interval !== '60') {
      fail('time interval', 'must be 30 or 60 (seconds)');
      continue;
    }
    const optional = (column: Column): string | null | undefined => {
      const value = cell(column);
      if (value === '') return null;
      return value.length <= MAX_TEXT && PRINTABLE.test(value) ? value : undefined;
    };
    const manufacturer = optional('manufacturer');
    if (manufacturer === undefined) {
      fail('manufacturer', `must be at most ${MAX_TEXT} printable characters`);
      continue;
    }
    const model = optional('model');
    if (model === undefined) {
      fail('model', `must be at most ${MAX_TEXT} printable characters`);
      continue;
    }
    const first = firstLineOf.get(upn.upn);
    if (first !== undefined) {
      fail('upn', `appears more than once (first on line ${first})`);
      continue;
    }
    firstLineOf.set(upn.upn, record.line);
    rows.push({ line: record.line, upn: upn.upn, serial, secret: seed.base32, period: interval === '30' ? 30 : 60, manufacturer, model });
  }
  if (rows.length === 0 && errors.length === 0) {
    errors.push({ line: header.line, field: 'csv', message: 'the file has a header but no token rows' });
  }
  return { rows, errors };
}
