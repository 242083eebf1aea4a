/**
 * A sentence for the admin who pressed "test connection": what the directory's answer means and,
 * when the settings are at fault, what to change. Keyed on the classified outcome, the stage that
 * decided it and Active Directory's sub-code.
 */
import type { LdapVerifyResponse } from '@tollgate/contracts';

export function explainLdapOutcome(answer: Pick<LdapVerifyResponse, 'outcome' | 'stage' | 'subCode' | 'resultCode'>): string {
  const sub = answer.subCode ? ` (AD data ${answer.subCode})` : '';
  switch (answer.outcome) {
    case 'password_ok':
      return 'Password verified by a bind as the user. Tollgate asks for the code as its second factor.';
    case 'invalid_credentials':
      return answer.stage === 'search'
        ? 'No entry matches the user filter under the base DN: check userFilter and baseDn, or the user name.'
        : `The directory rejected the password${sub}.`;
    case 'locked':
      return `The account is locked${sub || ' (ppolicy pwdAccountLockedTime)'}; it unlocks after the lockout duration or by an administrator.`;
    case 'disabled':
      return `The account is disabled${sub || ' (ppolicy permanent lock)'}.`;
    case 'account_expired':
      return `The account has expired${sub}.`;
    case 'password_expired':
      return `The password has expired${sub}; the user must change it before signing in.`;
    case 'must_change_password':
      return `The user must change the password at next logon${sub}; sign in once elsewhere to set a new one.`;
    case 'restricted':
      return `The account may not sign in at this time or from this workstation${sub} (logon hours, userWorkstations).`;
    case 'config_error':
      if (answer.stage === 'service_bind') return 'The service account could not bind: check bindDn and bindPassword.';
      if (answer.stage === 'search')
        return 'The search failed or found more than one entry: check baseDn, userFilter and the service account’s read access.';
      return 'The LDAP settings are not usable: check the urls, filters and the bind password (it must open with this master key).';
    case 'unavailable':
      return answer.stage === 'tls'
        ? 'No TLS connection could be made: check caCertificate (the CA of the servers’ certificates) and that the host names match.'
        : 'No directory server answered in time: check the urls, the network and the firewall.';
    case 'not_configured':
      return 'LDAP is disabled or incomplete: enable it and set urls, baseDn and userFilter.';
  }
}
