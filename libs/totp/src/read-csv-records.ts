/**
 * A small RFC 4180 CSV reader: comma-separated fields, `"quoted, fields"` with `""` for a quote,
 * line breaks inside quotes, CRLF, LF or CR line ends, and a leading UTF-8 BOM. Each record
 * carries the physical line it starts on, so errors can point at the line a person sees in
 * their editor. Spaces around a quoted field are dropped. It never throws: a malformed record comes back with `problem` set.
 */
export interface CsvRecord {
  /** 1-based line number where the record starts. */
  line: number;
  fields: string[];
  /**
   * Set when the record is malformed: a quote never closed (the rest of the input is then one
   * field), text after a closing quote, or a quote inside an unquoted field (RFC 4180 wants
   * such a field quoted; a stray quote is more often a mistake than a value).
   */
  problem?: 'unterminated_quote' | 'text_after_quote' | 'quote_in_field';
}

export function readCsvRecords(text: string): CsvRecord[] {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  const n = input.length;

  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let problem: CsvRecord['problem'];
    let field = '';
    let endOfRecord = false;

    while (!endOfRecord) {
      // Spaces around a quoted field are tolerated (spreadsheet exports write `a, "b"`).
      let j = i;
      while (input[j] === ' ' || input[j] === '\t') j++;
      if (input[j] === '"') {
        i = j;
        // Quoted field: runs to the next lone quote; `""` is a literal quote.
        i++;
        let closed = false;
        while (i < n) {
          const c = input[i]!;
          if (c === '"') {
            if (input[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (c === '\r' || c === '\n') {
            if (c === '\r' && input[i + 1] === '\n') {
              field += '\r';
              i++;
            }
            line++;
          }
          field += input[i];
          i++;
        }
        if (!closed) {
          problem = 'unterminated_quote';
          fields.push(field);
          return [...records, { line: start, fields, problem }];
        }
        while (input[i] === ' ' || input[i] === '\t') i++;
        // Only a separator or the end of the line may follow a closing quote.
        if (i < n && input[i] !== ',' && input[i] !== '\r' && input[i] !== '\n') {
          problem ??= 'text_after_quote';
          while (i < n && input[i] !== ',' && input[i] !== '\r' && input[i] !== '\n') i++;
        }
      } else {
        while (i < n && input[i] !== ',' && input[i] !== '\r' && input[i] !== '\n') {
          if (input[i] === '"') problem ??= 'quote_in_field';
          field += input[i++];
        }
      }
      fields.push(field);
      field = '';
      if (i >= n) {
        endOfRecord = true;
      } else if (input[i] === ',') {
        i++;
        // A trailing comma at the very end means one more, empty, field.
        if (i >= n) {
          fields.push('');
          endOfRecord = true;
        }
      } else {
        i += input[i] === '\r' && input[i + 1] === '\n' ? 2 : 1;
        line++;
        endOfRecord = true;
      }
    }
    records.push(problem ? { line: start, fields, problem } : { line: start, fields });
  }
  return records;
}
