/**
 * Splits what the user typed into the Entra password and the TOTP code appended to it, using
 * the digit count of the user's own token (6 or 8). Returns null when the input cannot hold a
 * code: too short, or its tail is not all digits.
 */
export function splitPassword(typed: string, digits: 6 | 8): { password: string; code: string } | null {
  if (typed.length <= digits) return null;
  const code = typed.slice(-digits);
  if (!/^[0-9]+$/.test(code)) return null;
  return { password: typed.slice(0, -digits), code };
}
