/**
 * A number typed in a form as the API gets it: a number when the text is a whole number, else the
 * text itself, so the API refuses it naming the field instead of the page guessing.
 */
export function asTypedNumber(text: string): number | string {
  return /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : text;
}
