/**
 * Path and query parameters of the admin API must be plain text: a NUL reaching a query made
 * PostgreSQL refuse it (a 500), and other control characters have no business in a user name,
 * an id or a search. Checked for every route before its handler, so none can forget.
 */
const CONTROL = /[\p{Cc}\p{Cs}]/u;

/** The first parameter (by name, as the API spells it) holding a control character, if any. */
export function parameterWithControlCharacter(parameters: Record<string, unknown>): string | undefined {
  for (const [name, value] of Object.entries(parameters)) {
    // A name that is itself unprintable is not echoed back: the caller learns only where it was.
    if (CONTROL.test(name)) return '';
    if (hasControl(value)) return name;
  }
  return undefined;
}

function hasControl(value: unknown): boolean {
  if (typeof value === 'string') return CONTROL.test(value);
  if (Array.isArray(value)) return value.some(hasControl);
  if (value && typeof value === 'object') return Object.entries(value).some(([k, v]) => CONTROL.test(k) || hasControl(v));
  return false;
}
