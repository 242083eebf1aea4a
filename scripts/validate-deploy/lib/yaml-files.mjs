/** Reads YAML files as plain JSON values (every document of a multi-document file), failing on any parse error. */
import { readFileSync } from 'node:fs';
import { parseAllDocuments, parse } from 'yaml';

/** Every non-empty document of a YAML text; `merge` enables `<<` merge keys (compose uses them). */
export function parseYamlDocuments(text, source, { merge = false } = {}) {
  const documents = parseAllDocuments(text, { merge, prettyErrors: true });
  const values = [];
  for (const doc of Array.isArray(documents) ? documents : [documents]) {
    if (doc.errors.length) throw new Error(`${source}: ${doc.errors[0].message}`);
    const value = doc.toJS({ maxAliasCount: 1000 });
    if (value !== null && value !== undefined) values.push(value);
  }
  return values;
}

export function readYamlDocuments(path, options) {
  return parseYamlDocuments(readFileSync(path, 'utf8'), path, options);
}

/** One YAML document (a single value). */
export function parseYaml(text, source, { merge = false } = {}) {
  try {
    return parse(text, { merge, maxAliasCount: 1000 });
  } catch (error) {
    throw new Error(`${source}: ${error.message}`);
  }
}
