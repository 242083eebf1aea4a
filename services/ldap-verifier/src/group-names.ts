/**
 * The names of a user's LDAP groups, from the DNs a `memberOf` attribute (or a group search)
 * gives: the value of the first RDN (`CN=VPN Users,OU=Groups,DC=corp` is `VPN Users`), with
 * RFC 4514 escapes undone. Tollgate matches these names against its own groups.
 */

/** The first RDN's value of a DN, unescaped; undefined for an empty or malformed DN. */
export function firstRdnValue(dn: string): string | undefined {
  const eq = dn.indexOf('=');
  if (eq <= 0) return undefined;
  let value = '';
  for (let i = eq + 1; i < dn.length; i++) {
    const c = dn[i] as string;
    if (c === '\\') {
      const hex = dn.slice(i + 1, i + 3);
      if (/^[0-9a-fA-F]{2}$/.test(hex)) {
        // A run of \XX escapes is UTF-8: collect the bytes and decode them together.
        const bytes: number[] = [];
        while (dn[i] === '\\' && /^[0-9a-fA-F]{2}$/.test(dn.slice(i + 1, i + 3))) {
          bytes.push(Number.parseInt(dn.slice(i + 1, i + 3), 16));
          i += 3;
        }
        i--;
        value += Buffer.from(bytes).toString('utf8');
      } else if (i + 1 < dn.length) {
        value += dn[++i];
      }
    } else if (c === ',' || c === '+' || c === ';') {
      break;
    } else {
      value += c;
    }
  }
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** The distinct group names of a list of group DNs, in the order first seen. */
export function groupNames(dns: readonly string[]): string[] {
  const names = new Set<string>();
  for (const dn of dns) {
    const name = firstRdnValue(dn);
    if (name !== undefined) names.add(name);
  }
  return [...names];
}
