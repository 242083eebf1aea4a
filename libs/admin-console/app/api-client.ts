/**
 * The console's one way to the admin API: same origin, JSON, the session cookie sent by the
 * browser and the session's CSRF token in `X-CSRF-Token` on every change. A failure becomes an
 * `ApiFailure` carrying the API's code and the field it names, so a form shows it beside that field.
 */
export class ApiFailure extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  /** The whole answer, for a page that reads more than the error (the import's bad rows). */
  readonly body: unknown;
  constructor(status: number, code: string, message: string, field?: string, body?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
    this.body = body;
  }
}

let csrfToken: string | null = null;
let onSignedOut: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the API says the session has ended (401 on any call but sign-in). */
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

/** A body sent as is with its own content type (a CSV file) instead of as JSON. */
export class RawBody {
  constructor(
    readonly text: string,
    readonly contentType: string,
  ) {}
}

export async function api<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = body instanceof RawBody ? body.contentType : 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    cache: 'no-store',
    ...(body !== undefined ? { body: body instanceof RawBody ? body.text : JSON.stringify(body) } : {}),
  });
  if (response.status === 204) return undefined as T;
  const data = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string; field?: string } } | null;
  if (!response.ok) {
    const error = data?.error;
    if (response.status === 401 && path !== '/api/v1/session') onSignedOut?.();
    throw new ApiFailure(
      response.status,
      error?.code ?? 'error',
      error?.message ?? `the request failed (HTTP ${response.status})`,
      error?.field,
      data,
    );
  }
  return data as T;
}

/** `/api/v1/users/alice%40contoso.com`-style paths. */
export const userPath = (upn: string, rest = ''): string => `/api/v1/users/${encodeURIComponent(upn)}${rest}`;
