/**
 * The rule for every RADIUS text attribute Tollgate passes on (to the bus, a query, a log line):
 * strict UTF-8, no control characters (C0 including NUL, DEL, C1), not empty, within a length in
 * octets. A NAS is trusted to be authentic, not to be sane: a NUL made PostgreSQL refuse the
 * whole batched lookup it was in, and control characters forge lines in logs and audit trails.
 */
export type TextProblem = 'empty' | 'too_long' | 'invalid_utf8' | 'control_character' | 'repeated';

export type TextResult = { ok: true; value: string } | { ok: false; problem: TextProblem };

// `fatal` refuses invalid sequences (overlongs, encoded surrogates, truncated) instead of
// replacing them with U+FFFD; `ignoreBOM` keeps a leading BOM as sent rather than dropping it.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// Unicode's Cc: U+0000-U+001F, U+007F and U+0080-U+009F.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what a RADIUS text attribute is checked for
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is the character refused, on purpose
const NUL = /\u0000/;

/** Decodes a text attribute's value, or names what is wrong with it (never echoing it). */
export function decodeText(value: Uint8Array, maxOctets: number): TextResult {
  if (value.length === 0) return { ok: false, problem: 'empty' };
  if (value.length > maxOctets) return { ok: false, problem: 'too_long' };
  let text: string;
  try {
    text = strictUtf8.decode(value);
  } catch {
    return { ok: false, problem: 'invalid_utf8' };
  }
  if (CONTROL.test(text)) return { ok: false, problem: 'control_character' };
  return { ok: true, value: text };
}

/**
 * The revealed User-Password: strict UTF-8 and no NUL (trailing padding is already gone), but
 * otherwise any character, since a password is the user's to choose and is only compared.
 */
export function decodePasswordText(value: Uint8Array): TextResult {
  if (value.length === 0) return { ok: false, problem: 'empty' };
  let text: string;
  try {
    text = strictUtf8.decode(value);
  } catch {
    return { ok: false, problem: 'invalid_utf8' };
  }
  if (NUL.test(text)) return { ok: false, problem: 'control_character' };
  return { ok: true, value: text };
}
