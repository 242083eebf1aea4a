/**
 * The redirect URI to register for the portal's Microsoft sign-in: `<publicUrl>/callback`, from
 * the public URL as typed (spaces and trailing slashes dropped), or null while it is no http(s)
 * address with a host, no query and no fragment (nothing worth copying yet).
 */
export function redirectUri(publicUrl: string): string | null {
  const trimmed = publicUrl.trim().replace(/\/+$/, '');
  if (!/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/i.test(trimmed)) return null;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  if (!url.hostname || url.username || url.password) return null;
  return `${trimmed}/callback`;
}
