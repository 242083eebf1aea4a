/**
 * The body of `PUT /api/v1/settings/ldap`, validated with the rules the ldap-verifier applies
 * before every check (`@tollgate/contracts`' ldap-filter): each url `ldaps://`, or `ldap://` with
 * StartTLS unless `allowInsecure`; the user filter one filter using `{local}` or `{upn}`; the group
 * filter, when given, one using `{dn}`. The bind password is sealed; null removes it.
 */
import { z } from 'zod';
import { filterTemplateProblem, ldapUrlProblem } from '@tollgate/contracts';

const PRINTABLE_UTF8 = /^[^\p{Cc}]+$/u;
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .regex(PRINTABLE_UTF8, 'must not contain control characters');

const template = (allowed: string[]) =>
  text(1024).superRefine((value, ctx) => {
    const problem = filterTemplateProblem(value, allowed);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const LdapSettingsInput = z
  .strictObject({
    enabled: z.boolean(),
    urls: z.array(z.string().trim().min(1, 'must not be empty').max(512)).min(1, 'must name at least one server').max(16),
    startTls: z.boolean().default(false),
    allowInsecure: z.boolean().default(false),
    caCertificate: z
      .string()
      .max(65_536, 'must be at most 65536 characters')
      .refine((v) => v.includes('-----BEGIN CERTIFICATE-----'), { message: 'must be PEM (-----BEGIN CERTIFICATE-----)' })
      .nullable()
      .optional(),
    bindDn: z.string().trim().max(1024, 'must be at most 1024 characters'),
    bindPassword: z
      .string()
      .min(1, 'must not be empty (send null to remove it)')
      .max(1024, 'must be at most 1024 characters')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is the character refused, on purpose
      .regex(/^[^\u0000]*$/, 'must not contain NUL')
      .nullable()
      .optional(),
    baseDn: text(1024),
    userFilter: template(['local', 'upn']),
    groupAttribute: z
      .string()
      .trim()
      .max(128)
      .regex(/^[A-Za-z][A-Za-z0-9-]*$|^$/, 'must be an attribute name such as memberOf, or empty')
      .optional(),
    groupFilter: template(['dn']).nullable().optional(),
    timeoutMs: z
      .number()
      .int('must be an integer')
      .min(100, 'must be from 100 to 60000')
      .max(60_000, 'must be from 100 to 60000')
      .optional(),
  })
  .superRefine((input, ctx) => {
    input.urls.forEach((url, i) => {
      const problem = ldapUrlProblem(url, { startTls: input.startTls, allowInsecure: input.allowInsecure });
      if (problem) ctx.addIssue({ code: 'custom', path: ['urls', i], message: problem });
    });
  });
export type LdapSettingsInput = z.infer<typeof LdapSettingsInput>;
