/**
 * The body of `PUT /api/v1/settings/fallback-codes` (docs/fallback-codes.md). Secrets are
 * write-only: the SMTP password and the webhook's header values are sealed; a password left out
 * is kept, null removes it; headers, when given, replace the stored set (a header given as null
 * keeps its stored value, so a GET's names can be sent back without the values). The webhook URL
 * must be https unless `allowInsecure`; templates may use only their own placeholders.
 */
import { z } from 'zod';
import { EMAIL_PLACEHOLDERS, SMS_PLACEHOLDERS, unknownPlaceholders } from '@tollgate/contracts';

const PRINTABLE = /^[^\p{Cc}]*$/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what is refused, on purpose
const MULTILINE = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/u;

const line = (max: number) =>
  z.string().trim().max(max, `must be at most ${max} characters`).regex(PRINTABLE, 'must not contain control characters');

const template = (placeholders: readonly string[], max: number, multiline: boolean) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .regex(multiline ? MULTILINE : PRINTABLE, 'must not contain control characters')
    .superRefine((value, ctx) => {
      const unknown = unknownPlaceholders(value, placeholders);
      if (unknown.length > 0)
        ctx.addIssue({
          code: 'custom',
          message: `must use only ${placeholders.map((p) => `{${p}}`).join(', ')} (unknown placeholder {${unknown[0]}})`,
        });
      if (!value.includes('{code}')) ctx.addIssue({ code: 'custom', message: 'must contain {code}' });
    });

const EmailInput = z.strictObject({
  enabled: z.boolean(),
  host: line(253),
  port: z.number().int('must be an integer').min(1, 'must be from 1 to 65535').max(65535, 'must be from 1 to 65535').default(587),
  secure: z.boolean().default(false),
  startTls: z.boolean().default(true),
  caCertificate: z
    .string()
    .max(65_536, 'must be at most 65536 characters')
    .refine((v) => v.includes('-----BEGIN CERTIFICATE-----'), { message: 'must be PEM (-----BEGIN CERTIFICATE-----)' })
    .nullable()
    .optional(),
  username: line(256).nullable().optional(),
  password: z
    .string()
    .min(1, 'must not be empty (send null to remove it)')
    .max(1024, 'must be at most 1024 characters')
    .nullable()
    .optional(),
  from: line(320),
  subject: line(200)
    .min(1, 'must not be empty')
    .refine((v) => unknownPlaceholders(v, EMAIL_PLACEHOLDERS).length === 0, { message: 'must use only {code}, {user}, {minutes}' })
    .optional(),
  template: template(EMAIL_PLACEHOLDERS, 4000, true).optional(),
});

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/;

const SmsInput = z.strictObject({
  enabled: z.boolean(),
  url: z.string().trim().max(2048, 'must be at most 2048 characters'),
  allowInsecure: z.boolean().default(false),
  method: z.enum(['POST', 'PUT', 'GET'], 'must be one of POST, PUT, GET').default('POST'),
  headers: z
    .record(
      z.string().regex(HEADER_NAME, 'must be a header name'),
      z
        .string()
        .min(1, 'must not be empty')
        .max(4096, 'must be at most 4096 characters')
        .regex(PRINTABLE, 'must not contain control characters')
        .nullable(),
    )
    .refine((h) => Object.keys(h).length <= 16, { message: 'must have at most 16 headers' })
    .optional(),
  bodyTemplate: template(SMS_PLACEHOLDERS, 4000, true).optional(),
  contentType: z
    .enum(
      ['application/x-www-form-urlencoded', 'application/json', 'text/plain'],
      'must be one of application/x-www-form-urlencoded, application/json, text/plain',
    )
    .default('application/x-www-form-urlencoded'),
  timeoutMs: z
    .number()
    .int('must be an integer')
    .min(100, 'must be from 100 to 30000')
    .max(30_000, 'must be from 100 to 30000')
    .default(5000),
});

export const FallbackCodesInput = z
  .strictObject({
    email: EmailInput,
    sms: SmsInput,
    maxSendsPerHour: z.number().int('must be an integer').min(1, 'must be from 1 to 20').max(20, 'must be from 1 to 20').default(3),
    codeTtlSeconds: z.number().int('must be an integer').min(60, 'must be from 60 to 900').max(900, 'must be from 60 to 900').default(300),
  })
  .superRefine(({ email, sms }, ctx) => {
    // Checks across fields, run once every field is well-formed (an unknown field is named first).
    if (email.enabled && email.host === '')
      ctx.addIssue({ code: 'custom', path: ['email', 'host'], message: 'must not be empty when enabled' });
    if (email.enabled && !/^[^\s@<>]+@[^\s@<>]+$/.test(email.from) && !/<[^\s@<>]+@[^\s@<>]+>$/.test(email.from)) {
      ctx.addIssue({
        code: 'custom',
        path: ['email', 'from'],
        message: 'must be an email address (tollgate@example.com or "Name <tollgate@example.com>")',
      });
    }
    if (email.secure && email.startTls)
      ctx.addIssue({ code: 'custom', path: ['email', 'startTls'], message: 'must be false with secure (implicit TLS)' });
    if (!sms.enabled && sms.url === '') return;
    let url: URL;
    try {
      url = new URL(sms.url);
    } catch {
      ctx.addIssue({ code: 'custom', path: ['sms', 'url'], message: 'must be a URL (https://...)' });
      return;
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && sms.allowInsecure)) {
      ctx.addIssue({ code: 'custom', path: ['sms', 'url'], message: 'must be https:// (http:// only with allowInsecure)' });
    }
    if (url.username || url.password)
      ctx.addIssue({ code: 'custom', path: ['sms', 'url'], message: 'must not hold credentials: use headers (sealed)' });
  });
export type FallbackCodesInput = z.infer<typeof FallbackCodesInput>;
