/**
 * Turns what an admin typed (`Alice`, `alice@Contoso.com`) into the user's canonical UPN with
 * the store's `toUpn`, then checks it looks like a UPN. A user record without a domain could
 * never pass the Entra check, so a bare name is only accepted once the Entra domain is set.
 */
import { isDnsDomain } from '@tollgate/contracts';
import { toUpn } from '@tollgate/store';

export type UpnCheck = { ok: true; upn: string } | { ok: false; problem: string };

const MAX_UPN_LENGTH = 256;
// The characters Entra allows in a UPN prefix; the domain follows the Entra domain setting's rule.
const UPN_PREFIX = /^[a-z0-9!#$%&'*+\-/=?^_`{|}~.]+$/;

export function canonicalUpn(username: string, domain: string | null | undefined): UpnCheck {
  if (username.trim() === '') return { ok: false, problem: 'must not be empty' };
  const upn = toUpn(username, domain);
  if (upn.length > MAX_UPN_LENGTH) return { ok: false, problem: `must be at most ${MAX_UPN_LENGTH} characters` };
  if (!upn.includes('@')) {
    return { ok: false, problem: 'must be a UPN (user@domain), or a bare name once the Entra domain is set' };
  }
  const at = upn.indexOf('@');
  if (!UPN_PREFIX.test(upn.slice(0, at)) || !isDnsDomain(upn.slice(at + 1)))
    return { ok: false, problem: 'must be a UPN such as alice@contoso.com' };
  return { ok: true, upn };
}
