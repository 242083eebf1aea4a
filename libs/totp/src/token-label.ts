/**
 * The descriptive fields of a hardware token (serial number, manufacturer, model): admins read
 * them in the API and logs, so they are bounded and free of control characters. One rule for the
 * OATH CSV import and for a token set by hand.
 */
export const MAX_TOKEN_LABEL_LENGTH = 128;

const CONTROL = /\p{Cc}/u;

/** Why `value` cannot be a token label, or null when it can (the message reads after the field name). */
export function tokenLabelProblem(value: string): string | null {
  if (value.length > MAX_TOKEN_LABEL_LENGTH) return `must be at most ${MAX_TOKEN_LABEL_LENGTH} characters`;
  if (CONTROL.test(value)) return 'must not contain control characters';
  return null;
}
