/**
 * `/api/v1/settings/fallback-codes`: how one-time codes are sent by email (SMTP) and SMS (an HTTP
 * webhook) to users of clients with fallbackCodes (docs/fallback-codes.md). Secrets are sealed and
 * never returned: `hasPassword` and the header names show what is set.
 */
import { FALLBACK_SMTP_PASSWORD_CONTEXT, fallbackHeaderContext } from '@tollgate/contracts';
import { fallbackCodeSettings, settings, type FallbackCodeSettings } from '@tollgate/store';
import type { AdminKit } from './admin-kit.js';
import { parseBody, type ApiRoutes } from './api-routes.js';
import { FallbackCodesInput } from './fallback-codes-input.js';
import { FALLBACK_CODES_WARNING } from './radius-client-routes.js';

export function fallbackCodesView(value: FallbackCodeSettings) {
  const { passwordSealed, caCertificate, username, ...email } = value.email;
  const { headersSealed, ...sms } = value.sms;
  return {
    email: { ...email, caCertificate: caCertificate ?? null, username: username ?? null, hasPassword: Boolean(passwordSealed) },
    sms: { ...sms, headers: Object.keys(headersSealed) },
    maxSendsPerHour: value.maxSendsPerHour,
    codeTtlSeconds: value.codeTtlSeconds,
  };
}

/** The stored settings with the input applied: secrets sealed, left-out secrets kept. */
export function applyFallbackInput(
  existing: FallbackCodeSettings,
  input: FallbackCodesInput,
  seal: (text: string, context: string) => string,
): FallbackCodeSettings {
  const { password, caCertificate, username, ...email } = input.email;
  const next: FallbackCodeSettings = {
    email: {
      ...existing.email,
      ...email,
      subject: email.subject ?? existing.email.subject,
      template: email.template ?? existing.email.template,
    },
    sms: {
      ...existing.sms,
      enabled: input.sms.enabled,
      url: input.sms.url,
      allowInsecure: input.sms.allowInsecure,
      method: input.sms.method,
      contentType: input.sms.contentType,
      timeoutMs: input.sms.timeoutMs,
      bodyTemplate: input.sms.bodyTemplate ?? existing.sms.bodyTemplate,
    },
    maxSendsPerHour: input.maxSendsPerHour,
    codeTtlSeconds: input.codeTtlSeconds,
  };
  delete next.email.passwordSealed;
  delete next.email.caCertificate;
  delete next.email.username;
  const ca = caCertificate === undefined ? existing.email.caCertificate : (caCertificate ?? undefined);
  if (ca) next.email.caCertificate = ca;
  const user = username === undefined ? existing.email.username : (username ?? undefined);
  if (user) next.email.username = user;
  if (password === undefined) {
    if (existing.email.passwordSealed) next.email.passwordSealed = existing.email.passwordSealed;
  } else if (password !== null) {
    next.email.passwordSealed = seal(password, FALLBACK_SMTP_PASSWORD_CONTEXT);
  }
  if (input.sms.headers !== undefined) {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(input.sms.headers)) {
      const kept = Object.entries(existing.sms.headersSealed).find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
      if (value !== null) headers[name] = seal(value, fallbackHeaderContext(name));
      else if (kept !== undefined) headers[name] = kept;
    }
    next.sms.headersSealed = headers;
  }
  return next;
}

export function registerFallbackCodesRoutes(routes: ApiRoutes, kit: AdminKit): void {
  routes.add(
    'get',
    '/api/v1/settings/fallback-codes',
    async (_req, res) => {
      res.json(fallbackCodesView(await fallbackCodeSettings(kit.db)));
    },
    { summary: 'How fallback codes are sent by email and SMS (never the SMTP password or header values: only whether they are set)' },
  );

  routes.add(
    'put',
    '/api/v1/settings/fallback-codes',
    async (req, res) => {
      const input = parseBody(FallbackCodesInput, req);
      const existing = await fallbackCodeSettings(kit.db);
      const next = applyFallbackInput(existing, input, (text, context) => kit.deps.keyring.seal(text, context));
      await settings.put(kit.db, 'fallback-codes', next);
      await kit.audit('settings.fallback_codes.update', 'fallback-codes', {
        emailEnabled: next.email.enabled,
        host: next.email.host,
        port: next.email.port,
        secure: next.email.secure,
        startTls: next.email.startTls,
        passwordChange: input.email.password === undefined ? 'kept' : input.email.password === null ? 'removed' : 'set',
        smsEnabled: next.sms.enabled,
        url: next.sms.url,
        headers: Object.keys(next.sms.headersSealed),
        maxSendsPerHour: next.maxSendsPerHour,
        codeTtlSeconds: next.codeTtlSeconds,
      });
      kit.configChanged({ kind: 'settings' });
      const enabling = next.email.enabled || next.sms.enabled;
      res.json({ ...fallbackCodesView(next), ...(enabling ? { warnings: [FALLBACK_CODES_WARNING] } : {}) });
    },
    {
      summary: 'Save how fallback codes are sent by email (SMTP) and SMS (HTTP webhook); they are weaker than TOTP',
      request: FallbackCodesInput,
    },
  );
}
