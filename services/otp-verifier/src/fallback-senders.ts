import type { Keyring } from '@tollgate/security';
import type { FallbackCodeSettings } from '@tollgate/store';
import { SmtpMailer } from '@tollgate/runtime';
import { escapeFor, fallbackHeaderContext, renderTemplate } from '@tollgate/contracts';

/** One message to send: the address (email or phone), the code and whom it is for. */
export interface FallbackMessage {
  to: string;
  code: string;
  upn: string;
  ttlSeconds: number;
}

/** Sends fallback codes by SMTP, through the shared pooled mailer (libs/runtime smtp-mailer.ts). */
export class EmailSender {
  readonly #mailer: SmtpMailer;

  constructor(keyring: Keyring) {
    this.#mailer = new SmtpMailer(keyring);
  }

  async send(email: FallbackCodeSettings['email'], message: FallbackMessage, timeoutMs: number): Promise<void> {
    const values = { code: message.code, user: message.upn, minutes: String(Math.max(1, Math.round(message.ttlSeconds / 60))) };
    await this.#mailer.send(
      email,
      { to: message.to, subject: renderTemplate(email.subject, values, 'text'), text: renderTemplate(email.template, values, 'text') },
      timeoutMs,
    );
  }

  close(): void {
    this.#mailer.close();
  }
}

/** Sends fallback codes through the configured HTTP webhook (an SMS gateway's API). */
export class SmsSender {
  readonly #keyring: Keyring;

  constructor(keyring: Keyring) {
    this.#keyring = keyring;
  }

  async send(sms: FallbackCodeSettings['sms'], message: FallbackMessage, timeoutMs: number): Promise<void> {
    const values = { phone: message.to, code: message.code, user: message.upn };
    const headers: Record<string, string> = { 'content-type': sms.contentType };
    for (const [name, sealed] of Object.entries(sms.headersSealed))
      headers[name] = this.#keyring.openText(sealed, fallbackHeaderContext(name));
    const body = renderTemplate(sms.bodyTemplate, values, escapeFor(sms.contentType));
    const url = sms.method === 'GET' ? withQuery(sms.url, body) : sms.url;
    const response = await fetch(url, {
      method: sms.method,
      headers,
      ...(sms.method === 'GET' ? {} : { body }),
      signal: AbortSignal.timeout(Math.min(timeoutMs, sms.timeoutMs)),
      redirect: 'error',
    });
    // The body is read (and dropped) so the connection is reused; it is never logged (it may echo the code).
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw Object.assign(new Error(`SMS webhook answered HTTP ${response.status}`), { code: 'http_status' });
  }
}

function withQuery(url: string, query: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}
