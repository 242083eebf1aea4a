/**
 * A sentence for the admin who pressed "test connection": what Entra's answer means and, for
 * configuration errors, what to change. Keyed on the classified outcome and the AADSTS code,
 * never on Entra's free-text description (Microsoft says not to parse it).
 */
import type { EntraOutcome } from '@tollgate/contracts';

const CONFIG_ERRORS: Record<number, string> = {
  7000218:
    'Enable "Allow public client flows" on the app registration (Authentication blade), or give Tollgate a client secret (AADSTS7000218).',
  700016: 'The application (client) ID was not found in this tenant: check clientId and tenantId (AADSTS700016).',
  700025: 'The app registration is a public client: remove the client secret from Tollgate (AADSTS700025).',
  7000215: 'The client secret is wrong: paste the secret value, not its ID (AADSTS7000215).',
  7000222: 'The client secret has expired: create a new one and save it here (AADSTS7000222).',
  65001: "Consent is missing: grant admin consent for the app registration's API permissions (AADSTS65001).",
  90002: 'The tenant was not found: check tenantId and the authority host (AADSTS90002).',
  50128: 'The tenant was not found: check tenantId and the authority host (AADSTS50128).',
  50059: 'No tenant could be determined: set tenantId to the tenant GUID or a verified domain (AADSTS50059).',
  9001023: "Use the tenant GUID, a verified domain or 'organizations' as tenantId, not common or consumers (AADSTS9001023).",
};

export function explainEntraOutcome(outcome: EntraOutcome, aadsts: number | undefined): string {
  switch (outcome) {
    case 'password_ok_mfa':
      return 'Password verified; the account requires MFA, as Tollgate needs.';
    case 'invalid_credentials':
      return aadsts === 50034 ? 'The user does not exist in this tenant (AADSTS50034).' : 'Entra rejected the user name or password.';
    case 'no_mfa':
      return 'Password verified, but Entra issued a token without MFA: Tollgate refuses such accounts. Require MFA for this user (Conditional Access or security defaults).';
    case 'locked':
      return 'The account is locked by smart lockout, or the sign-in came from a blocked IP (AADSTS50053). Try again later.';
    case 'disabled':
      return 'The account is disabled in Entra ID (AADSTS50057).';
    case 'password_expired':
      return 'The password has expired; the user must change it before signing in.';
    case 'blocked':
      return 'A Conditional Access policy or security defaults blocked this sign-in; allow the Tollgate app registration to sign in with a password.';
    case 'config_error':
      return (
        (aadsts !== undefined ? CONFIG_ERRORS[aadsts] : undefined) ??
        `Entra refused Tollgate's configuration${aadsts !== undefined ? ` (AADSTS${aadsts})` : ''}: check the tenant, client ID, client secret and app registration.`
      );
    case 'throttled':
      return 'Entra is throttling sign-ins; wait a while and try again.';
    case 'unavailable':
      // A code Tollgate does not know is refused (fail closed); say so rather than blame the network.
      return aadsts !== undefined && !(aadsts >= 80001 && aadsts <= 80014)
        ? `Entra answered with AADSTS${aadsts}, a code Tollgate does not recognise, so the sign-in is refused; look it up in Microsoft's error code reference.`
        : aadsts !== undefined
          ? `The pass-through authentication agent failed (AADSTS${aadsts}); check the on-premises agents.`
          : 'Entra could not be reached or gave an unexpected answer; check network access to the authority host.';
    case 'not_configured':
      return 'Entra ID is not configured or is disabled in Tollgate: save the settings with enabled: true first.';
  }
}
