/**
 * The documentation of an environment variable, kept on its schema (zod metadata), so the README's
 * configuration table is generated from the code that reads the variable and cannot drift from it.
 */
import { z } from 'zod';

export interface KeyDoc {
  /** The meaning, as the README's table states it. */
  description: string;
  /** How the default is shown when it is not a plain value (`(unset: in-process bus)`). */
  shownDefault?: string;
}

/** Returns `schema` with its documentation attached; the schema parses exactly as before. */
export function describeKey<T extends z.ZodType>(schema: T, description: string, shownDefault?: string): T {
  return schema.meta(shownDefault === undefined ? { description } : { description, shownDefault }) as T;
}

/** The documentation attached by describeKey, or undefined for a key nobody described. */
export function keyDoc(schema: z.ZodType): KeyDoc | undefined {
  const meta = z.globalRegistry.get(schema);
  if (typeof meta?.description !== 'string') return undefined;
  return typeof meta.shownDefault === 'string'
    ? { description: meta.description, shownDefault: meta.shownDefault }
    : { description: meta.description };
}

/**
 * The default as the table shows it: the described text, else what loading an unset key gives
 * (a number, a string, a boolean), in backticks; empty when unset means absent.
 */
export function shownDefault(schema: z.ZodType): string {
  const doc = keyDoc(schema);
  if (doc?.shownDefault !== undefined) return doc.shownDefault;
  const parsed = schema.safeParse(undefined);
  if (!parsed.success) return '';
  const value: unknown = parsed.data;
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return '';
  return `\`${Array.isArray(value) ? value.join(',') : String(value)}\``;
}
