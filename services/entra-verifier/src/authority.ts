/**
 * Which token endpoint a password may be sent to. The authority host comes from settings an
 * admin can edit, so it is checked against a fixed list (Microsoft's public, US Government and
 * China clouds) plus hosts the operator allowed in the environment: whoever can edit settings
 * must not be able to send every user's password to a host of their choice. Plain http is only
 * for a loopback stand-in in tests, and only when the operator allows it.
 */

export const BUILT_IN_AUTHORITY_HOSTS: readonly string[] = [
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.partner.microsoftonline.cn',
];

export const DEFAULT_AUTHORITY = 'https://login.microsoftonline.com';

export type AuthorityErrorCode = 'authority_invalid' | 'authority_not_allowed' | 'tenant_invalid' | 'tenant_not_supported';

export class AuthorityError extends Error {
  readonly code: AuthorityErrorCode;
  /** The AADSTS code Entra would answer with, when there is one (9001023 for common/consumers). */
  readonly aadsts: number | undefined;
  constructor(code: AuthorityErrorCode, message: string, aadsts?: number) {
    super(message);
    this.name = 'AuthorityError';
    this.code = code;
    this.aadsts = aadsts;
  }
}

export interface AuthorityPolicy {
  /** Extra https hosts (`host` or `host:port`, lower case) from ENTRA_ALLOWED_AUTHORITY_HOSTS. */
  allowedHosts: readonly string[];
  /** Allow http/https on loopback addresses (ENTRA_ALLOW_LOOPBACK_AUTHORITY, tests only). */
  allowLoopback: boolean;
}

/**
 * Parses a comma list of hosts (`host`, `host:port` or `https://host[:port]`) into lower-case
 * `host[:port]` entries; throws AuthorityError('authority_invalid') on an entry that is not one.
 */
export function parseAllowedHosts(list: string | undefined): string[] {
  if (!list) return [];
  const hosts: string[] = [];
  for (const raw of list.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    const withScheme = entry.includes('://') ? entry : `https://${entry}`;
    let url: URL;
    try {
      url = new URL(withScheme);
    } catch {
      throw new AuthorityError('authority_invalid', `allowed authority host "${entry}" is not a host name`);
    }
    if (url.protocol !== 'https:' || !/^https:\/\/(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?\/?$/.test(withScheme)) {
      throw new AuthorityError('authority_invalid', `allowed authority host "${entry}" must be a bare https host`);
    }
    hosts.push(url.host);
  }
  return hosts;
}

/** Checks an authority host and returns its normalised origin (`https://host[:port]`). */
export function normaliseAuthorityHost(input: string | null | undefined, policy: AuthorityPolicy): string {
  const text = input?.trim() || DEFAULT_AUTHORITY;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AuthorityError('authority_invalid', 'authority host is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AuthorityError('authority_invalid', 'authority host must be an https URL');
  }
  if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    // A path would put the tenant in the wrong place; credentials in a URL are never wanted.
    throw new AuthorityError('authority_invalid', 'authority host must be a bare origin such as https://login.microsoftonline.com');
  }
  const loopback = isLoopbackHostname(url.hostname);
  if (loopback && policy.allowLoopback) return url.origin;
  if (url.protocol !== 'https:') {
    throw new AuthorityError('authority_not_allowed', 'authority host must use https (http is only for an allowed loopback stand-in)');
  }
  if (BUILT_IN_AUTHORITY_HOSTS.includes(url.host) || policy.allowedHosts.includes(url.host)) return url.origin;
  throw new AuthorityError(
    'authority_not_allowed',
    `authority host ${url.host} is not a Microsoft cloud; allow it with ENTRA_ALLOWED_AUTHORITY_HOSTS`,
  );
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Checks a tenant: a GUID, a verified domain or `organizations`. `common` and `consumers` are
 * refused as Entra would refuse them for ROPC (AADSTS9001023). Returns it in lower case.
 */
export function normaliseTenant(input: string | null | undefined): string {
  const tenant = (input ?? '').trim().toLowerCase();
  if (!tenant) throw new AuthorityError('tenant_invalid', 'tenant is empty');
  if (tenant === 'common' || tenant === 'consumers') {
    throw new AuthorityError('tenant_not_supported', `tenant "${tenant}" cannot be used with ROPC; use the tenant id or domain`, 9001023);
  }
  if (tenant === 'organizations' || GUID.test(tenant)) return tenant;
  const labels = tenant.split('.');
  const isDomain =
    tenant.length <= 253 &&
    labels.length >= 2 &&
    labels.every((label) => DNS_LABEL.test(label)) &&
    !/^\d+$/.test(labels[labels.length - 1]!);
  if (!isDomain) throw new AuthorityError('tenant_invalid', 'tenant must be a GUID, a domain or "organizations"');
  return tenant;
}

/** The ROPC token endpoint: `{origin}/{tenant}/oauth2/v2.0/token`, both checked. */
export function buildTokenUrl(authorityHost: string | null | undefined, tenant: string | null | undefined, policy: AuthorityPolicy): URL {
  const origin = normaliseAuthorityHost(authorityHost, policy);
  return new URL(`${origin}/${encodeURIComponent(normaliseTenant(tenant))}/oauth2/v2.0/token`);
}

/** localhost, 127.0.0.0/8 and ::1 (URL.hostname keeps the brackets of an IPv6 literal). */
export function isLoopbackHostname(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]' || host === '::1') return true;
  const match = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return match !== null && match.slice(1).every((octet) => Number(octet) <= 255);
}
