import { TollgateError } from '@tollgate/contracts';
/**
 * Parses one RFC 5424 message (what a collector does), strictly enough to catch a malformed
 * formatter: the header's six fields, every structured-data element with its parameters
 * (escapes undone), and MSG. Used by the tests, and handy to check a collector's input.
 */
export interface ParsedSyslog {
  pri: number;
  facility: number;
  severity: number;
  version: number;
  timestamp: string | null;
  hostname: string | null;
  appName: string | null;
  procId: string | null;
  msgId: string | null;
  structuredData: Record<string, Record<string, string>>;
  message: string;
}

export class SyslogParseError extends TollgateError<'syslog_parse'> {
  constructor(message: string) {
    super('syslog_parse', message);
  }
}

const HEADER = /^<(\d{1,3})>(\d{1,2}) (\S+) (\S+) (\S+) (\S+) (\S+) /;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;
const nil = (v: string): string | null => (v === '-' ? null : v);

export function parseRfc5424(text: string): ParsedSyslog {
  const header = HEADER.exec(text.endsWith('\n') ? text.slice(0, -1) : text);
  if (!header) throw new SyslogParseError('not an RFC 5424 header');
  const pri = Number(header[1]);
  if (pri > 191) throw new SyslogParseError(`PRI ${pri} out of range`);
  const timestamp = nil(header[3]!);
  if (timestamp !== null && !TIMESTAMP.test(timestamp)) throw new SyslogParseError(`bad TIMESTAMP ${timestamp}`);
  const body = text.slice(header[0].length).replace(/\n$/, '');
  const structuredData: Record<string, Record<string, string>> = {};
  let i = 0;
  if (body.startsWith('-')) i = 1;
  else {
    if (body[0] !== '[') throw new SyslogParseError('structured data must be "-" or start with "["');
    while (body[i] === '[') {
      i++;
      const idEnd = body.slice(i).search(/[ \]]/);
      if (idEnd <= 0) throw new SyslogParseError('empty SD-ID');
      const id = body.slice(i, i + idEnd);
      i += idEnd;
      const params: Record<string, string> = {};
      while (body[i] === ' ') {
        i++;
        const eq = body.indexOf('="', i);
        if (eq <= i) throw new SyslogParseError(`bad SD-PARAM in ${id}`);
        const name = body.slice(i, eq);
        if (/[ =\]"]/.test(name) || name.length > 32) throw new SyslogParseError(`bad PARAM-NAME ${name}`);
        i = eq + 2;
        let value = '';
        for (;;) {
          const c = body[i];
          if (c === undefined) throw new SyslogParseError(`unterminated value of ${name}`);
          if (c === '\\' && (body[i + 1] === '"' || body[i + 1] === '\\' || body[i + 1] === ']')) {
            value += body[i + 1];
            i += 2;
            continue;
          }
          if (c === '"') break;
          if (c === ']') throw new SyslogParseError(`unescaped ] in ${name}`);
          value += c;
          i++;
        }
        i++;
        params[name] = value;
      }
      if (body[i] !== ']') throw new SyslogParseError(`SD element ${id} not closed`);
      i++;
      structuredData[id] = params;
    }
  }
  if (i < body.length && body[i] !== ' ') throw new SyslogParseError('no space between structured data and MSG');
  let message = body.slice(i + 1);
  if (message.startsWith('\uFEFF')) message = message.slice(1);
  return {
    pri,
    facility: pri >> 3,
    severity: pri & 7,
    version: Number(header[2]),
    timestamp,
    hostname: nil(header[4]!),
    appName: nil(header[5]!),
    procId: nil(header[6]!),
    msgId: nil(header[7]!),
    structuredData,
    message,
  };
}
