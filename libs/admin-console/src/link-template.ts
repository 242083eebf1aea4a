/**
 * The enrolment link email's placeholders (the subject has no {url}: subjects end up in more logs
 * than bodies), and what a template uses that the admin API will not fill: shown as a warning
 * while typing (the API refuses it on save).
 */
export const LINK_EMAIL_PLACEHOLDERS = ['user', 'url', 'hours', 'organisation'] as const;
export const LINK_SUBJECT_PLACEHOLDERS = ['user', 'hours', 'organisation'] as const;

/** Each `{name}` in the text that is not one of `known`, once, in order of appearance. */
export function unknownPlaceholders(text: string, known: readonly string[]): string[] {
  const unknown: string[] = [];
  for (const match of text.matchAll(/\{([^{}\s]*)\}/g)) {
    const name = match[1] ?? '';
    if (!known.includes(name) && !unknown.includes(name)) unknown.push(name);
  }
  return unknown;
}
