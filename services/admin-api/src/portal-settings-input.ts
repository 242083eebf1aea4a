/**
 * The body of `PUT /api/v1/settings/portal`: how the self-service enrolment portal looks, how users
 * sign in to it (Microsoft with MFA, or an enrolment link and the Entra password) and the link
 * email. The public URL is https (http only on a loopback host, for tests); the logo a small data
 * URL; the client secret write-only (left out: kept, null: removed).
 */
import { z } from 'zod';
import { isGuid, isLoopbackHostname, unknownPlaceholders } from '@tollgate/contracts';

/** The placeholders of the link email's subject and body. */
export const LINK_EMAIL_PLACEHOLDERS = ['user', 'url', 'hours', 'organisation'] as const;

/** The largest logo, decoded. */
export const MAX_LOGO_BYTES = 100 * 1024;
const LOGO = /^data:image\/(png|jpeg|svg\+xml);base64,([A-Za-z0-9+/]+={0,2})$/;

const PRINTABLE = /^[^\p{Cc}]*$/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what is refused, on purpose
const MULTILINE = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/u;

const line = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`)
    .regex(PRINTABLE, 'must not contain control characters');

/** The subject's: not the link, as subjects end up in more logs than bodies. */
export const LINK_SUBJECT_PLACEHOLDERS = ['user', 'hours', 'organisation'] as const;

const placeholdersKnown = (known: readonly string[]) => (value: string, ctx: z.RefinementCtx) => {
  const unknown = unknownPlaceholders(value, known);
  if (unknown.length > 0)
    ctx.addIssue({
      code: 'custom',
      message: `must use only ${known.map((p) => `{${p}}`).join(', ')} (unknown placeholder {${unknown[0]}})`,
    });
};

/** '' (not set) or an https origin with an optional path, no query, fragment or credentials; returned without a trailing slash. */
export const publicUrl = z
  .string()
  .trim()
  .max(2048, 'must be at most 2048 characters')
  .transform((value, ctx) => {
    if (value === '') return '';
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a URL (https://enrol.example.com)' });
      return z.NEVER;
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHostname(url.hostname))) {
      ctx.addIssue({ code: 'custom', message: 'must be https:// (http:// only for a loopback host)' });
      return z.NEVER;
    }
    if (url.username || url.password || url.search || url.hash) {
      ctx.addIssue({ code: 'custom', message: 'must not hold credentials, a query or a fragment' });
      return z.NEVER;
    }
    return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  });

const logo = z
  .string()
  .max(Math.ceil((MAX_LOGO_BYTES * 4) / 3) + 64, `must be at most ${MAX_LOGO_BYTES / 1024} kB`)
  .superRefine((value, ctx) => {
    const match = LOGO.exec(value);
    if (!match) {
      ctx.addIssue({ code: 'custom', message: 'must be a data URL: data:image/png|jpeg|svg+xml;base64,...' });
      return;
    }
    if (Buffer.from(match[2]!, 'base64').length > MAX_LOGO_BYTES)
      ctx.addIssue({ code: 'custom', message: `must be at most ${MAX_LOGO_BYTES / 1024} kB` });
  })
  .nullable();

const EmailInput = z.strictObject({
  enabled: z.boolean(),
  subject: line(1, 200).superRefine(placeholdersKnown(LINK_SUBJECT_PLACEHOLDERS)).optional(),
  template: z
    .string()
    .min(1, 'must not be empty')
    .max(4000, 'must be at most 4000 characters')
    .regex(MULTILINE, 'must not contain control characters')
    .superRefine(placeholdersKnown(LINK_EMAIL_PLACEHOLDERS))
    .refine((v) => v.includes('{url}'), { message: 'must contain {url}' })
    .optional(),
});

export const PortalSettingsInput = z
  .strictObject({
    oidcEnabled: z.boolean(),
    linksEnabled: z.boolean(),
    publicUrl,
    organisationName: line(1, 120).default('Tollgate'),
    logo: logo.default(null),
    /** Empty: the admin API's ADMIN_ISSUER. A colon would break the otpauth label. */
    issuer: line(0, 64)
      .refine((v) => !v.includes(':'), { message: 'must not contain a colon' })
      .default(''),
    allowReplace: z.boolean().default(false),
    linkTtlHours: z.number().int('must be an integer').min(1, 'must be from 1 to 720').max(720, 'must be from 1 to 720').default(72),
    mfaContext: z
      .string()
      .regex(/^c([1-9]|[1-9][0-9])$/, 'must be an authentication context ID from c1 to c99')
      .default('c1'),
    clientId: z
      .string()
      .trim()
      .toLowerCase()
      .refine((v) => v === '' || isGuid(v), { message: "must be the portal app registration's application (client) ID, a GUID" })
      .default(''),
    clientSecret: z
      .string()
      .min(1, 'must not be empty (send null to remove it)')
      .max(1024, 'must be at most 1024 characters')
      .nullable()
      .optional(),
    email: EmailInput.default({ enabled: false }),
  })
  .superRefine((input, ctx) => {
    if ((input.oidcEnabled || input.linksEnabled) && input.publicUrl === '')
      ctx.addIssue({ code: 'custom', path: ['publicUrl'], message: 'must be set when oidcEnabled or linksEnabled' });
    if (input.oidcEnabled && input.clientId === '')
      ctx.addIssue({ code: 'custom', path: ['clientId'], message: 'must be set when oidcEnabled' });
  });
export type PortalSettingsInput = z.infer<typeof PortalSettingsInput>;
