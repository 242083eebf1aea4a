/**
 * Fills a fallback-code template: `{name}` placeholders replaced by values escaped for where the
 * text goes (a form body, a JSON body, plain text). Unknown placeholders are left as typed, so a
 * template never fails at send time; the admin API rejects them when the template is saved.
 * Shared here because the admin API validates what the otp-verifier renders.
 */

/** The placeholders of the email subject and body. */
export const EMAIL_PLACEHOLDERS = ['code', 'user', 'minutes'] as const;
/** The placeholders of the SMS webhook body. */
export const SMS_PLACEHOLDERS = ['phone', 'code', 'user'] as const;

export type TemplateEscape = 'form' | 'json' | 'text';

const PLACEHOLDER = /\{([a-z]+)\}/g;

export function renderTemplate(template: string, values: Readonly<Record<string, string>>, mode: TemplateEscape): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = values[name];
    return value === undefined ? whole : escapeValue(value, mode);
  });
}

/** The placeholders of a template that are not in `known` (for validating input). */
export function unknownPlaceholders(template: string, known: readonly string[]): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '').filter((name) => !known.includes(name));
}

function escapeValue(value: string, mode: TemplateEscape): string {
  switch (mode) {
    case 'form':
      return encodeURIComponent(value);
    case 'json':
      // The value goes inside a JSON string the template already quotes.
      return JSON.stringify(value).slice(1, -1);
    case 'text':
      return value;
  }
}

/** The escape a webhook body needs for its content type. */
export function escapeFor(contentType: string): TemplateEscape {
  if (contentType === 'application/x-www-form-urlencoded') return 'form';
  if (contentType === 'application/json') return 'json';
  return 'text';
}
