/**
 * The enrolment link email's placeholders, and the ones a template uses that the admin API will
 * not fill (shown as a warning while typing; the API refuses them on save).
 */
export const LINK_EMAIL_PLACEHOLDERS = ['user', 'url', 'hours', 'organisation'] as const;

/** Each `{name}` in the template that is not a placeholder, once, in order of appearance. */
export function unknownLinkPlaceholders(template: string): string[] {
  const unknown: string[] = [];
  for (const match of template.matchAll(/\{([^{}\s]*)\}/g)) {
    const name = match[1] ?? '';
    if (!(LINK_EMAIL_PLACEHOLDERS as readonly string[]).includes(name) && !unknown.includes(name)) unknown.push(name);
  }
  return unknown;
}
