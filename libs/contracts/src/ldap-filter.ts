/**
 * The LDAP settings' rules, shared by the admin API (what it accepts) and the ldap-verifier (what
 * it uses): filter templates whose `{placeholder}`s are filled with values escaped per RFC 4515,
 * so a user name like `*)(uid=*` matches itself and nothing else, and the server urls.
 */

/** RFC 4515 section 3: `\`, `*`, `(`, `)` and NUL are written as `\XX`; everything else stands as it is (UTF-8). */
export function escapeFilterValue(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is one of the characters RFC 4515 escapes
  return value.replace(/[\\*()\u0000]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Fills every `{name}` of the template with its value, escaped; a placeholder with no value is left as it is. */
export function fillFilter(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{([a-z]+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? escapeFilterValue(values[name] as string) : whole,
  );
}

/** The values a user filter is filled with: `{local}` the canonical name before `@`, `{upn}` all of it. */
export function userFilterValues(upn: string): { local: string; upn: string } {
  const at = upn.lastIndexOf('@');
  return { local: at < 0 ? upn : upn.slice(0, at), upn };
}

/**
 * Why a filter template cannot be used, or undefined: it must be one parenthesised filter with
 * balanced parentheses, use only the allowed placeholders and at least one of them (a filter
 * without one would match the same entry for every user).
 */
export function filterTemplateProblem(template: string, allowed: readonly string[]): string | undefined {
  const t = template.trim();
  if (!t.startsWith('(') || !t.endsWith(')')) return 'must be one filter in parentheses, such as (uid={local})';
  let depth = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (c === '\\') i += 2;
    else if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return 'must have balanced parentheses';
    else if (depth === 0 && i < t.length - 1) return 'must be one filter in parentheses (wrap several in (&...))';
  }
  if (depth !== 0) return 'must have balanced parentheses';
  const used = [...t.matchAll(/\{([a-z]*)\}/g)].map((m) => m[1] as string);
  const unknown = used.find((name) => !allowed.includes(name));
  if (unknown !== undefined) return `must not use {${unknown}}: the placeholders are ${allowed.map((a) => `{${a}}`).join(', ')}`;
  if (used.length === 0) return `must use ${allowed.map((a) => `{${a}}`).join(' or ')}`;
  return undefined;
}

/** Why a directory server url cannot be used, or undefined: `ldaps://`, or `ldap://` with StartTLS unless insecure is allowed. */
export function ldapUrlProblem(url: string, options: { startTls: boolean; allowInsecure: boolean }): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be a url such as ldaps://dc1.corp.example:636';
  }
  if (parsed.protocol !== 'ldaps:' && parsed.protocol !== 'ldap:') return 'must use ldaps:// or ldap://';
  if (!parsed.hostname) return 'must name a host';
  if (parsed.username || parsed.password || (parsed.pathname && parsed.pathname !== '/') || parsed.search || parsed.hash)
    return 'must be scheme, host and port only';
  if (parsed.protocol === 'ldap:' && !options.startTls && !options.allowInsecure)
    return 'must not be ldap:// without StartTLS (passwords would cross in clear): set startTls, use ldaps://, or set allowInsecure';
  return undefined;
}
