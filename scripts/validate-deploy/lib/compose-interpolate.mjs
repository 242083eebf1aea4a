/**
 * Compose-spec variable interpolation of a parsed compose file: $VAR, ${VAR}, ${VAR:-default},
 * ${VAR-default}, ${VAR:?error}, ${VAR?error}, ${VAR:+alt}, ${VAR+alt} and $$ for a literal $.
 * Collects every variable a file refers to and every error a missing required one raises, as
 * `docker compose config` would report them.
 */

const PATTERN = /\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

export function interpolateString(text, env, found) {
  return text.replace(PATTERN, (_match, dollar, braced, operator, argument, bare) => {
    if (dollar) return '$';
    const name = braced ?? bare;
    found.variables.add(name);
    const value = env[name];
    const set = value !== undefined;
    const nonEmpty = set && value !== '';
    const arg = argument === undefined ? '' : interpolateString(argument, env, found);
    switch (operator) {
      case undefined:
        return value ?? '';
      case ':-':
        return nonEmpty ? value : arg;
      case '-':
        return set ? value : arg;
      case ':?':
        found.required.add(name);
        if (!nonEmpty) found.errors.push(`${name}: ${arg || 'required'}`);
        return value ?? '';
      case '?':
        found.required.add(name);
        if (!set) found.errors.push(`${name}: ${arg || 'required'}`);
        return value ?? '';
      case ':+':
        return nonEmpty ? arg : '';
      case '+':
        return set ? arg : '';
      default:
        throw new Error(`unknown interpolation operator ${operator}`);
    }
  });
}

/** Interpolates every string (values, not keys) of a parsed compose document. */
export function interpolateCompose(document, env) {
  const found = { variables: new Set(), required: new Set(), errors: [] };
  const walk = (value) => {
    if (typeof value === 'string') return interpolateString(value, env, found);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  const result = walk(document);
  return { result, ...found, errors: [...new Set(found.errors)] };
}
