/**
 * Errors of the admin API: an HTTP status, a stable `code`, a message for a person and, for a
 * bad request, the field at fault. Validation failures from zod become one such error naming the
 * first problem's field (`username: must be ...`). Messages never contain submitted values, so a
 * mistyped secret cannot come back in a response or a log line.
 */
import type { z } from 'zod';
import { TollgateError } from '@tollgate/contracts';

export type ApiErrorCode =
  | 'bad_request'
  | 'invalid_json'
  | 'unauthorized'
  | 'forbidden'
  | 'totp_enrolment_required'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'too_many_requests'
  | 'invalid_rows'
  | 'verifier_unavailable'
  | 'internal';

export class ApiError extends TollgateError<ApiErrorCode> {
  readonly status: number;
  readonly field: string | undefined;
  constructor(status: number, code: ApiErrorCode, message: string, field?: string) {
    super(code, field ? `${field}: ${message}` : message);
    this.status = status;
    this.field = field;
  }

  toBody(): { error: { code: ApiErrorCode; message: string; field?: string } } {
    return { error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) } };
  }
}

export const badRequest = (field: string, problem: string): ApiError => new ApiError(400, 'bad_request', problem, field);
export const notFound = (field: string, what: string): ApiError => new ApiError(404, 'not_found', what, field);
export const conflict = (field: string, what: string): ApiError => new ApiError(409, 'conflict', what, field);

type Issue = z.core.$ZodIssue;

/** The first zod issue as a 400 naming its field; `where` names the part of the request ('body', 'query'). */
export function fromZodError(error: z.ZodError, where: string): ApiError {
  const issue = error.issues[0];
  if (!issue) return badRequest(where, 'is invalid');
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    return badRequest([...path, issue.keys[0] ?? '?'].join('.'), 'is not a known field');
  }
  return badRequest(path.length > 0 ? path.join('.') : where, describeIssue(issue));
}

function describeIssue(issue: Issue): string {
  // Our schemas word their own messages ("must be ..."); zod's defaults are reworded here.
  if (/^(must|is|may|cannot) /.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return / received undefined$/.test(issue.message) ? 'is required' : `must be ${article(issue.expected)}`;
    case 'too_small':
      return issue.origin === 'string'
        ? `must be at least ${String(issue.minimum)} characters`
        : `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'string' ? `must be at most ${String(issue.maximum)} characters` : `must be at most ${String(issue.maximum)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => String(v)).join(', ')}`;
    default:
      return 'is invalid';
  }
}

function article(expected: string): string {
  if (expected === 'int') return 'an integer';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}
