/**
 * What of an error may be logged: its class name and its code, never its message (a driver may
 * quote values in it, and a value may be a password or a code).
 */
export function errorFields(error: unknown): { name: string; code?: string } {
  if (!(error instanceof Error)) return { name: typeof error };
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? { name: error.name, code } : { name: error.name };
}
