/**
 * The .env format Docker Compose reads: KEY=VALUE lines, `#` comments, optional `export `, values
 * optionally in single or double quotes. Also reports the keys a file documents in comments
 * ("# KEY=default"), which is how .env.example shows defaults.
 */

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/;

function unquote(raw) {
  const value = raw.trim();
  if (value.length >= 2 && ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))) {
    const inner = value.slice(1, -1);
    return value.startsWith('"') ? inner.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\') : inner;
  }
  // Unquoted: an inline comment starts at " #".
  const hash = value.search(/\s#/);
  return (hash >= 0 ? value.slice(0, hash) : value).trim();
}

/** { values: {KEY: value} for active lines, documented: Set of keys in active or "# KEY=" lines }. */
export function parseEnvFile(text) {
  const values = {};
  const documented = new Set();
  for (const line of text.split(/\r?\n/)) {
    const active = LINE.exec(line);
    if (active) {
      values[active[1]] = unquote(active[2]);
      documented.add(active[1]);
      continue;
    }
    const commented = /^\s*#\s*([A-Z][A-Z0-9_]*)=/.exec(line);
    if (commented) documented.add(commented[1]);
  }
  return { values, documented };
}
