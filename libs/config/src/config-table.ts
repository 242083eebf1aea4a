/**
 * The README's configuration table, built from the components' config shapes: one row per key
 * (default, who uses it, meaning), keys in the order the sources give them, a key read by several
 * components listed once with all of them.
 */
import type { z } from 'zod';
import { keyDoc, shownDefault } from './describe-key.js';
import { TollgateError } from '@tollgate/contracts';

export interface ConfigSource {
  /** Who reads these keys: `all`, or the service names. */
  usedBy: string;
  shape: z.ZodRawShape;
}

export interface ConfigRow {
  key: string;
  default: string;
  usedBy: string[];
  meaning: string;
}

export class ConfigTableError extends TollgateError<'key_undescribed'> {
  constructor(
    readonly key: string,
    readonly usedBy: string,
  ) {
    super('key_undescribed', `${usedBy}: configuration ${key} has no description (wrap its schema in describeKey)`);
  }
}

/** Rows in source order; throws a ConfigTableError naming the first key without a description. */
export function configRows(sources: readonly ConfigSource[]): ConfigRow[] {
  const rows = new Map<string, ConfigRow>();
  for (const source of sources) {
    for (const [key, schema] of Object.entries(source.shape)) {
      const existing = rows.get(key);
      if (existing) {
        if (!existing.usedBy.includes(source.usedBy)) existing.usedBy.push(source.usedBy);
        continue;
      }
      const doc = keyDoc(schema as z.ZodType);
      if (!doc) throw new ConfigTableError(key, source.usedBy);
      rows.set(key, { key, default: shownDefault(schema as z.ZodType), usedBy: [source.usedBy], meaning: doc.description });
    }
  }
  return [...rows.values()];
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function formatConfigTable(rows: readonly ConfigRow[]): string {
  const lines = ['| key | default | used by | meaning |', '|---|---|---|---|'];
  for (const row of rows) {
    const cells = [`\`${row.key}\``, row.default, row.usedBy.join(', '), row.meaning].map(cell);
    lines.push(`|${cells.map((c) => (c ? ` ${c} ` : ' ')).join('|')}|`);
  }
  return `${lines.join('\n')}\n`;
}
