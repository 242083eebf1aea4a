/**
 * The canonical user name: lower-case, trimmed, and `@<domain>` appended to a bare name when a
 * domain is configured. The admin API and the aggregator both use this, so a user enrolled as
 * `Alice` and one logging in as `alice@contoso.com` are the same record.
 */
export function toUpn(username: string, domain: string | undefined | null): string {
  const name = username.trim().toLowerCase();
  if (name.includes('@') || !domain) return name;
  return `${name}@${domain.trim().toLowerCase().replace(/^@/, '')}`;
}
