/**
 * The body of `PUT /api/v1/settings/entra`, validated with the rules the entra-verifier applies
 * before every call (`@tollgate/contracts`' entra-authority): tenant a GUID, a domain or
 * `organizations` (never `common`/`consumers`), the authority one of Microsoft's clouds or a host
 * the operator allowed, loopback only when allowed. So what the admin saves is what the verifier
 * will use. Client id a GUID, the users' domain a DNS name. Values are returned canonical.
 */
import { z } from 'zod';
import {
  DEFAULT_AUTHORITY,
  authorityTransform,
  isDnsDomain,
  isGuid,
  normaliseAuthorityHost,
  normaliseTenant,
  type AuthorityPolicy,
} from '@tollgate/contracts';
import { DEFAULT_SCOPE } from '@tollgate/store';

const PRINTABLE = /^[\x20-\x7e]+$/;

const lowerTrimmed = z.string().trim().toLowerCase();

export function entraSettingsInput(policy: AuthorityPolicy) {
  return z.strictObject({
    enabled: z.boolean(),
    tenantId: z.string().transform(authorityTransform(normaliseTenant)),
    clientId: lowerTrimmed.refine(isGuid, { message: 'must be the application (client) ID, a GUID' }),
    domain: lowerTrimmed
      .transform((v) => v.replace(/^@/, ''))
      .refine(isDnsDomain, { message: 'must be a DNS domain such as contoso.com' }),
    authorityHost: z
      .string()
      .default(DEFAULT_AUTHORITY)
      .transform(authorityTransform((value: string) => normaliseAuthorityHost(value, policy))),
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
}
export type EntraSettingsInput = z.infer<ReturnType<typeof entraSettingsInput>>;
