/**
 * The body of `PUT /api/v1/settings/entra`, validated: tenant as a GUID, a domain or
 * `organizations` (never `common`/`consumers`, which ROPC refuses with AADSTS9001023), client id a
 * GUID, the users' domain a DNS name, and the authority one of Microsoft's clouds (or plain HTTP on
 * loopback, for a stand-in during tests). Values are returned canonical (lower case, no slash).
 */
import { z } from 'zod';
import { isIP } from 'node:net';
import { DEFAULT_AUTHORITY_HOST, DEFAULT_SCOPE } from '@tollgate/store';

export const AUTHORITY_HOSTS = [
  'https://login.microsoftonline.com',
  'https://login.microsoftonline.us',
  'https://login.partner.microsoftonline.cn',
] as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
const PRINTABLE = /^[\x20-\x7e]+$/;

export const isGuid = (value: string): boolean => GUID.test(value);
export const isDnsName = (value: string): boolean => DNS_NAME.test(value);

export function tenantProblem(tenant: string): string | null {
  if (tenant === 'common' || tenant === 'consumers') {
    return `must be the tenant GUID, a verified domain or 'organizations'; '${tenant}' cannot sign in with a password (AADSTS9001023)`;
  }
  if (tenant === 'organizations' || isGuid(tenant) || isDnsName(tenant)) return null;
  return "must be the tenant GUID, a verified domain or 'organizations'";
}

/** The canonical origin, or null when the host is not an allowed authority. */
export function canonicalAuthorityHost(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) return null;
  if ((AUTHORITY_HOSTS as readonly string[]).includes(url.origin)) return url.origin;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
  return loopback && (url.protocol === 'http:' || url.protocol === 'https:') ? url.origin : null;
}

const lowerTrimmed = z.string().trim().toLowerCase();

export const EntraSettingsInput = z.strictObject({
  enabled: z.boolean(),
  tenantId: lowerTrimmed.superRefine((value, ctx) => {
    const problem = tenantProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  clientId: lowerTrimmed.refine(isGuid, { message: 'must be the application (client) ID, a GUID' }),
  domain: lowerTrimmed
    .transform((v) => v.replace(/^@/, ''))
    .refine(isDnsName, { message: 'must be a DNS domain such as contoso.com' }),
  authorityHost: z
    .string()
    .trim()
    .transform((value, ctx) => {
      const origin = canonicalAuthorityHost(value);
      if (origin) return origin;
      ctx.addIssue({ code: 'custom', message: `must be one of ${AUTHORITY_HOSTS.join(', ')} (or http:// on loopback)` });
      return z.NEVER;
    })
    .default(DEFAULT_AUTHORITY_HOST),
  scope: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(512, 'must be at most 512 characters')
    .regex(PRINTABLE, 'must be printable ASCII')
    .default(DEFAULT_SCOPE),
  clientSecret: z
    .string()
    .min(1, 'must not be empty (send null to remove it)')
    .max(1024, 'must be at most 1024 characters')
    .regex(PRINTABLE, 'must be printable ASCII')
    .nullable()
    .optional(),
});
export type EntraSettingsInput = z.infer<typeof EntraSettingsInput>;
