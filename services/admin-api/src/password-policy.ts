/**
 * What an admin account's password must be: 12 to 256 characters, no control characters, not
 * the account's own name, and not one character repeated. Pure; the answer is the problem, for a
 * 400 naming the `password` field (never the password).
 */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

export function passwordProblem(password: string, username: string): string | undefined {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  if (/\p{Cc}/u.test(password)) return 'must not contain control characters';
  if (new Set(password).size === 1) return 'must not be one character repeated';
  if (password.toLowerCase().includes(username.toLowerCase())) return 'must not contain the account name';
  return undefined;
}
