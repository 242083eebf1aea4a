/**
 * What the portal is told of its settings (`portal.v1.settings`), pure: the public parts only.
 * Sign in with Microsoft is on only when the portal settings switch it on, name the portal's app
 * registration, and the Entra settings give a usable authority and a tenant GUID (the ID token's
 * `iss` and `tid` name the tenant by its GUID, so a domain could never match).
 */
import { AuthorityError, isGuid, normaliseAuthorityHost, type AuthorityPolicy, type PortalSettingsResponse } from '@tollgate/contracts';
import type { EntraSettings, PortalSettings } from '@tollgate/store';

/** The tenant's authority for the portal's sign-in, or null when the Entra settings give none. */
export function portalAuthority(entra: EntraSettings | null, policy: AuthorityPolicy): { origin: string; tenant: string } | null {
  const tenant = entra?.tenantId?.trim().toLowerCase() ?? '';
  if (!isGuid(tenant)) return null;
  try {
    return { origin: normaliseAuthorityHost(entra?.authorityHost, policy), tenant };
  } catch (error) {
    if (error instanceof AuthorityError) return null;
    throw error;
  }
}

/** Whether sign in with Microsoft can work with these settings. */
export function oidcUsable(portal: PortalSettings, entra: EntraSettings | null, policy: AuthorityPolicy): boolean {
  return portal.oidcEnabled && portal.clientId !== '' && portal.publicUrl !== '' && portalAuthority(entra, policy) !== null;
}

/** The portal's answer; null when the portal has no public URL (nothing can work without one). */
export function portalSettingsResponse(
  portal: PortalSettings,
  entra: EntraSettings | null,
  policy: AuthorityPolicy,
  defaultIssuer: string,
): PortalSettingsResponse | null {
  if (portal.publicUrl === '') return null;
  const authority = oidcUsable(portal, entra, policy) ? portalAuthority(entra, policy) : null;
  return {
    publicUrl: portal.publicUrl,
    organisationName: portal.organisationName,
    logo: portal.logo,
    issuer: portal.issuer || defaultIssuer,
    allowReplace: portal.allowReplace,
    oidc: authority
      ? {
          enabled: true,
          authorizeEndpoint: `${authority.origin}/${authority.tenant}/oauth2/v2.0/authorize`,
          clientId: portal.clientId,
          mfaContext: portal.mfaContext,
        }
      : { enabled: false },
    links: { enabled: portal.linksEnabled },
  };
}
