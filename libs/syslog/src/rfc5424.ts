/**
 * The RFC 5424 message format, pure: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG`.
 * Header fields are printable US-ASCII without spaces, cut to their RFC lengths ('-' when
 * empty); structured-data parameter values escape `"`, `\` and `]`; names drop the characters
 * the grammar forbids. MSG is UTF-8 without a BOM (RFC 5424 allows either).
 */
import { Facilities, Severities, type FacilityName, type SeverityName } from './codes.js';

export type SdValue = string | number | boolean | null | undefined;

export interface StructuredElement {
  /** SD-ID: a name@<private enterprise number> for ours (section 7.2). */
  id: string;
  /** Parameters in order; undefined and null ones are left out. */
  params: ReadonlyArray<readonly [string, SdValue]>;
}

export interface SyslogMessage {
  facility: FacilityName;
  severity: SeverityName;
  timestamp: Date;
  hostname: string;
  appName: string;
  procId: string;
  msgId: string;
  structuredData: readonly StructuredElement[];
  message?: string | undefined;
}

const NIL = '-';

const NOT_PRINTABLE = /[^\x21-\x7e]/;
const NOT_SD_NAME = /[^\x21-\x7e]|[=\]"]/;
const TO_ESCAPE = /["\\\]]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what RFC 5424 MSG must not carry raw
const CONTROL = /[\x00-\x1f\x7f]/;

/** PRINTUSASCII (33-126) only, at most `max` characters; '-' when nothing is left. */
export function headerField(value: string, max: number): string {
  if (value !== '' && value.length <= max && !NOT_PRINTABLE.test(value)) return value;
  const clean = value.replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return clean === '' ? NIL : clean;
}

const sdNames = new Map<string, string>();

/** SD-NAME: 1-32 PRINTUSASCII except '=', SP, ']', '"'. (Names are few and fixed: cached.) */
export function sdName(value: string): string {
  let name = sdNames.get(value);
  if (name === undefined) {
    name =
      NOT_SD_NAME.test(value) || value.length > 32 || value === '' ? value.replace(/[^\x21-\x7e]|[=\]"]/g, '').slice(0, 32) || '_' : value;
    if (sdNames.size < 1000) sdNames.set(value, name);
  }
  return name;
}

/** PARAM-VALUE: UTF-8 with '"', '\' and ']' escaped by a backslash (section 6.3.3). */
export function escapeParamValue(value: string): string {
  return TO_ESCAPE.test(value) ? value.replace(/["\\\]]/g, (c) => `\\${c}`) : value;
}

export function priority(facility: FacilityName, severity: SeverityName): number {
  return Facilities[facility] * 8 + Severities[severity];
}

function element(sd: StructuredElement): string {
  let text = `[${sdName(sd.id)}`;
  for (const [name, value] of sd.params) {
    if (value === undefined || value === null) continue;
    text += ` ${sdName(name)}="${escapeParamValue(String(value))}"`;
  }
  return `${text}]`;
}

export function formatRfc5424(m: SyslogMessage): string {
  const sd = m.structuredData.length ? m.structuredData.map(element).join('') : NIL;
  const header = [
    `<${priority(m.facility, m.severity)}>1`,
    // toISOString is always UTC with milliseconds: a valid FULL-DATE "T" FULL-TIME.
    m.timestamp.toISOString(),
    headerField(m.hostname, 255),
    headerField(m.appName, 48),
    headerField(m.procId, 128),
    headerField(m.msgId, 32),
    sd,
  ].join(' ');
  // Control characters (a newline above all) would split the message in a line-based collector.
  if (!m.message) return header;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what RFC 5424 MSG must not carry raw
  return `${header} ${CONTROL.test(m.message) ? m.message.replace(/[\x00-\x1f\x7f]/g, ' ') : m.message}`;
}
