/**
 * Whether a chosen file may be the portal's logo, checked in the browser before it is read and
 * sent: a PNG, JPEG or SVG image of at most 100 kB (the admin API checks the data URL again).
 */
export const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/svg+xml'] as const;
export const LOGO_MAX_BYTES = 100 * 1024;

/** What is wrong with the file as a logo, or null when it will do. */
export function logoProblem(file: { type: string; size: number }): string | null {
  if (!(LOGO_TYPES as readonly string[]).includes(file.type)) return 'must be a PNG, JPEG or SVG image';
  if (file.size === 0) return 'the file is empty';
  if (file.size > LOGO_MAX_BYTES) return `must be at most 100 kB (this file is ${Math.ceil(file.size / 1024)} kB)`;
  return null;
}
