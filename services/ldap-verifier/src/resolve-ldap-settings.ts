/**
 * Turns the stored LDAP settings into what the directory client needs, or says why there is
 * nothing to ask: not configured (`not_configured`) or misconfigured (`config_error`), by the same
 * rules the admin API applied when they were saved. Pure apart from `openSecret`.
 */
import { filterTemplateProblem, ldapUrlProblem } from '@tollgate/contracts';
import { DEFAULT_LDAP_TIMEOUT_MS, type LdapSettings } from '@tollgate/store';

export interface DirectorySettings {
  urls: string[];
  startTls: boolean;
  /** PEM CA bundle; undefined: the system's trust store. */
  ca: string | undefined;
  bindDn: string;
  bindPassword: string;
  baseDn: string;
  userFilter: string;
  groupAttribute: string;
  groupFilter: string | undefined;
  timeoutMs: number;
  /** Plain `ldap://` without StartTLS was allowed by the admin: logged as a warning. */
  insecure: boolean;
}

export type ResolvedLdap =
  | { kind: 'not_configured' }
  | { kind: 'invalid'; code: 'url' | 'user_filter' | 'group_filter' | 'bind_password_unreadable'; message: string }
  | { kind: 'ready'; settings: DirectorySettings; fingerprint: string };

export function resolveLdapSettings(stored: LdapSettings | null, openSecret: (sealed: string) => string): ResolvedLdap {
  if (stored?.enabled !== true || !stored.urls?.length || !stored.baseDn?.trim() || !stored.userFilter?.trim()) {
    return { kind: 'not_configured' };
  }
  for (const url of stored.urls) {
    const problem = ldapUrlProblem(url, { startTls: stored.startTls, allowInsecure: stored.allowInsecure });
    if (problem) return { kind: 'invalid', code: 'url', message: `url ${url} ${problem}` };
  }
  const userProblem = filterTemplateProblem(stored.userFilter, ['local', 'upn']);
  if (userProblem) return { kind: 'invalid', code: 'user_filter', message: `userFilter ${userProblem}` };
  if (stored.groupFilter) {
    const groupProblem = filterTemplateProblem(stored.groupFilter, ['dn']);
    if (groupProblem) return { kind: 'invalid', code: 'group_filter', message: `groupFilter ${groupProblem}` };
  }
  let bindPassword = '';
  if (stored.bindPasswordSealed) {
    try {
      bindPassword = openSecret(stored.bindPasswordSealed);
    } catch {
      return { kind: 'invalid', code: 'bind_password_unreadable', message: 'the LDAP bind password does not open with this master key' };
    }
  }
  const settings: DirectorySettings = {
    urls: [...stored.urls],
    startTls: stored.startTls,
    ca: stored.caCertificate?.trim() || undefined,
    bindDn: stored.bindDn,
    bindPassword,
    baseDn: stored.baseDn.trim(),
    userFilter: stored.userFilter.trim(),
    groupAttribute: stored.groupAttribute ?? 'memberOf',
    groupFilter: stored.groupFilter?.trim() || undefined,
    timeoutMs: stored.timeoutMs ?? DEFAULT_LDAP_TIMEOUT_MS,
    insecure: stored.urls.some((u) => u.startsWith('ldap:')) && !stored.startTls,
  };
  // Same settings, same connections: a config event that changed nothing keeps the pools.
  const fingerprint = JSON.stringify({ ...settings, bindPassword: stored.bindPasswordSealed ?? '' });
  return { kind: 'ready', settings, fingerprint };
}
