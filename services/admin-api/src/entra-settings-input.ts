/**
 * The body of `PUT /api/v1/settings/entra`, validated with the rules the entra-verifier applies
 * before every call (`@tollgate/contracts`' entra-authority): tenant a GUID, a domain or
 * `organizations` (never `common`/`consumers`), the authority one of Microsoft's clouds or a host
 * the operator allowed, loopback only when allowed. So what the admin saves is what the verifier
 * will use. Client id a GUID, the users' domain a DNS name. Values are returned canonical.
 */
import { z } from 'zod';
import {
  authorityTransform,
  isDnsDomain,
  isGuid,
  normaliseAuthorityHost,
  normaliseTenant,
  type AuthorityPolicy,
} from '@tollgate/contracts';

const PRINTABLE = /^[\x20-\x7e]+$/;

const lowerTrimmed = z.string().trim().toLowerCase();

export function entraSettingsInput(policy: AuthorityPolicy) {
  return z.strictObject({
    enabled: z.boolean(),
    tenantId: z.string().transform(authorityTransform(normaliseTenant)),
    clientId: lowerTrimmed.refine(isGuid, { message: 'must be the application (client) ID, a GUID' }),
    domain: lowerTrimmed.transform((v) => v.replace(/^@/, '')).refine(isDnsDomain, { message: 'must be a DNS domain such as contoso.com' }),
    // Omitted: the stored value stays (a US Government tenant must not move to the public cloud
    // because a later PUT left the field out); the default applies only on the first save.
    authorityHost: z
      .string()
      .transform(authorityTransform((value: string) => normaliseAuthorityHost(value, policy)))
      .optional(),
    scope: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(512, 'must be at most 512 characters')
      .regex(PRINTABLE, 'must be printable ASCII')
      .optional(),
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
