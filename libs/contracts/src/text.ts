import { z } from 'zod';

/**
 * Strings that cross the bus on their way to a query or a log line. The gateway already refuses
 * such values at the edge; the schemas refuse them again so a verifier or the aggregator never
 * depends on the sender having checked (a NUL makes PostgreSQL refuse the whole statement it is
 * in). `\p{Cs}` in a `u` regex matches only a lone surrogate, which no UTF-8 text can hold.
 */
const NO_CONTROL = /^[^\p{Cc}\p{Cs}]*$/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is the character refused, on purpose
const NO_NUL = /^[^\u0000\p{Cs}]*$/u;

/** A name or identifier: no control characters (C0, DEL, C1) and no lone surrogates. */
export const plainText = (min: number, max: number) =>
  z.string().min(min).max(max).regex(NO_CONTROL, { message: 'must not contain control characters' });

/** A password: any character but NUL (and no lone surrogates); it is only ever compared, never shown. */
export const secretText = (min: number, max: number) => z.string().min(min).max(max).regex(NO_NUL, { message: 'must not contain NUL' });
