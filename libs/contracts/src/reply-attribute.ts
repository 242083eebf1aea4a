import { z } from 'zod';
import { plainText } from './text.js';

/**
 * A RADIUS reply attribute as policy states it and the bus carries it: a dictionary name and a
 * value as an admin writes it (@tollgate/radius-dictionary validates both against the
 * dictionary). The shape only bounds sizes; meaning is the dictionary's. A string value may hold
 * any character but NUL (a Reply-Message may span lines; PostgreSQL text cannot hold NUL).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is the character refused, on purpose
const NO_NUL = /^[^\u0000\p{Cs}]*$/u;

/** More than a reply can carry in practice (4096 octets); bounds the work per decision. */
export const MAX_REPLY_ATTRIBUTES = 64;

export const ReplyAttribute = z.object({
  name: plainText(1, 128),
  value: z.union([z.string().max(1024).regex(NO_NUL, { message: 'must not contain NUL' }), z.number()]),
});
export type ReplyAttribute = z.infer<typeof ReplyAttribute>;
