/**
 * Whether a failed statement was refused for the values it carried rather than for the state of
 * the database: SQLSTATE class 22 (data exception, e.g. 22021 for a NUL in text) or class 23
 * (integrity constraint violation). PostgreSQL and PGlite both put the SQLSTATE in `code`.
 *
 * Only such an error can be one item's fault, so only it is worth retrying a batch item by item;
 * a connection error, a timeout or a full disk would fail every item again, and retrying each
 * would multiply the load on a database that is already in trouble.
 */
export function isValueError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code);
}
