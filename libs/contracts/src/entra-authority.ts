/**
 * Which Entra token endpoint a password may be sent to, one rule set for the admin API (which
 * refuses to save what the entra-verifier would refuse) and the entra-verifier (which checks
 * again before every call). The authority host comes from settings an admin can edit, so it is
 * checked against Microsoft's public, US Government and China clouds plus the hosts the operator
 * allowed in ENTRA_ALLOWED_AUTHORITY_HOSTS: whoever can edit settings must not be able to send
 * every user's password to a host of their choice. Loopback (a stand-in in tests) only with
 * ENTRA_ALLOW_LOOPBACK_AUTHORITY=true. Messages read after the field name ("authorityHost must …").
 */
import { z } from 'zod';
import { TollgateError } from './tollgate-error.js';

export const BUILT_IN_AUTHORITY_HOSTS: readonly string[] = [
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.partner.microsoftonline.cn',
];

export const DEFAULT_AUTHORITY = 'https://login.microsoftonline.com';

/** The environment keys every component that checks an authority reads, with the same meaning. */
export const ALLOWED_AUTHORITY_HOSTS_KEY = 'ENTRA_ALLOWED_AUTHORITY_HOSTS';
export const ALLOW_LOOPBACK_AUTHORITY_KEY = 'ENTRA_ALLOW_LOOPBACK_AUTHORITY';

export type AuthorityErrorCode = 'authority_invalid' | 'authority_not_allowed' | 'tenant_invalid' | 'tenant_not_supported';

/** The settings field (or environment key) a problem is about. */
export type AuthorityField = 'authorityHost' | 'tenantId' | typeof ALLOWED_AUTHORITY_HOSTS_KEY;

export class AuthorityError extends TollgateError<AuthorityErrorCode> {
  readonly field: AuthorityField;
  /** The AADSTS code Entra would answer with, when there is one (9001023 for common/consumers). */
  readonly aadsts: number | undefined;
  constructor(code: AuthorityErrorCode, field: AuthorityField, message: string, aadsts?: number) {
    super(code, message);
    this.field = field;
    this.aadsts = aadsts;
  }
}

export interface AuthorityPolicy {
  /** Extra https hosts (`host` or `host:port`, lower case) from ENTRA_ALLOWED_AUTHORITY_HOSTS. */
  allowedHosts: readonly string[];
  /** Allow http/https on loopback addresses (ENTRA_ALLOW_LOOPBACK_AUTHORITY, tests only). */
  allowLoopback: boolean;
}

/** Microsoft's clouds only: what a component without the two environment keys allows. */
export const STRICT_AUTHORITY_POLICY: AuthorityPolicy = Object.freeze({ allowedHosts: Object.freeze([]), allowLoopback: false });

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
      throw new AuthorityError('authority_invalid', ALLOWED_AUTHORITY_HOSTS_KEY, `entry "${entry}" is not a host name`);
    }
    if (url.protocol !== 'https:' || !/^https:\/\/(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?\/?$/.test(withScheme)) {
      throw new AuthorityError(
        'authority_invalid',
        ALLOWED_AUTHORITY_HOSTS_KEY,
        `entry "${entry}" must be a bare https host (host or host:port)`,
      );
    }
    hosts.push(url.host);
  }
  return hosts;
}

/**
 * One of these checks as a zod transform: its AuthorityError becomes the issue (the message reads
 * after the field or key the issue is on); any other error is thrown on.
 */
export function authorityTransform<I, O>(check: (value: I) => O): (value: I, ctx: z.RefinementCtx) => O {
  return (value, ctx) => {
    try {
      return check(value);
    } catch (error) {
      if (!(error instanceof AuthorityError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message });
      return z.NEVER;
    }
  };
}

/**
 * ENTRA_ALLOWED_AUTHORITY_HOSTS as a configuration value: `loadConfig` turns a bad entry into a
 * ConfigError naming the key, the same way in every component.
 */
export const AllowedAuthorityHosts = z.string().optional().transform(authorityTransform(parseAllowedHosts));

/** Checks an authority host and returns its normalised origin (`https://host[:port]`); empty means the public cloud. */
export function normaliseAuthorityHost(input: string | null | undefined, policy: AuthorityPolicy): string {
  const text = input?.trim() || DEFAULT_AUTHORITY;
  const fail = (code: AuthorityErrorCode, message: string) => new AuthorityError(code, 'authorityHost', message);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw fail('authority_invalid', `must be an https URL such as ${DEFAULT_AUTHORITY}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw fail('authority_invalid', `must be an https URL such as ${DEFAULT_AUTHORITY}`);
  }
  if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    // A path would put the tenant in the wrong place; credentials in a URL are never wanted.
    throw fail('authority_invalid', `must be a bare origin such as ${DEFAULT_AUTHORITY} (no path, query or credentials)`);
  }
  if (isLoopbackHostname(url.hostname)) {
    if (policy.allowLoopback) return url.origin;
    throw fail(
      'authority_not_allowed',
      `must not be a loopback address (${url.host}); a local stand-in is allowed only with ${ALLOW_LOOPBACK_AUTHORITY_KEY}=true, for tests`,
    );
  }
  if (url.protocol !== 'https:') {
    throw fail(
      'authority_not_allowed',
      `must use https (plain http only for a loopback stand-in with ${ALLOW_LOOPBACK_AUTHORITY_KEY}=true)`,
    );
  }
  if (BUILT_IN_AUTHORITY_HOSTS.includes(url.host) || policy.allowedHosts.includes(url.host)) return url.origin;
  throw fail(
    'authority_not_allowed',
    `must be a Microsoft cloud (${BUILT_IN_AUTHORITY_HOSTS.join(', ')}); to use ${url.host}, add it to ${ALLOWED_AUTHORITY_HOSTS_KEY}`,
  );
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** A GUID in lower case (tenant and application ids). */
export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** A lower-case DNS domain of two or more labels whose last label is not all digits (so no IP address). */
export function isDnsDomain(value: string): boolean {
  const labels = value.split('.');
  return (
    value.length <= 253 && labels.length >= 2 && labels.every((label) => DNS_LABEL.test(label)) && !/^\d+$/.test(labels[labels.length - 1]!)
  );
}

const TENANT_FORMS = "must be the tenant GUID, a verified domain or 'organizations'";

/**
 * Checks a tenant: a GUID, a verified domain or `organizations`. `common` and `consumers` are
 * refused as Entra would refuse them for ROPC (AADSTS9001023). Returns it in lower case.
 */
export function normaliseTenant(input: string | null | undefined): string {
  const tenant = (input ?? '').trim().toLowerCase();
  if (tenant === 'common' || tenant === 'consumers') {
    throw new AuthorityError(
      'tenant_not_supported',
      'tenantId',
      `${TENANT_FORMS}; '${tenant}' cannot sign in with a password (AADSTS9001023)`,
      9001023,
    );
  }
  if (tenant === 'organizations' || isGuid(tenant) || isDnsDomain(tenant)) return tenant;
  throw new AuthorityError('tenant_invalid', 'tenantId', TENANT_FORMS);
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
  return match?.slice(1).every((octet) => Number(octet) <= 255) ?? false;
}
