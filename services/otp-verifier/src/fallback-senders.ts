import nodemailer, { type Transporter } from 'nodemailer';
import type { Keyring } from '@tollgate/security';
import type { FallbackCodeSettings } from '@tollgate/store';
import { FALLBACK_SMTP_PASSWORD_CONTEXT, escapeFor, fallbackHeaderContext, renderTemplate } from '@tollgate/contracts';

/** The pooled connections' own timeouts; each send is also cut to its caller's deadline. */
const SMTP_SOCKET_TIMEOUT_MS = 10_000;

/** One message to send: the address (email or phone), the code and whom it is for. */
export interface FallbackMessage {
  to: string;
  code: string;
  upn: string;
  ttlSeconds: number;
}

/**
 * Sends fallback codes by SMTP: one pooled nodemailer transport, made again only when the
 * settings change (a settings fingerprint without the password's plaintext keys the pool).
 */
export class EmailSender {
  readonly #keyring: Keyring;
  #transport: { key: string; transporter: Transporter } | undefined;

  constructor(keyring: Keyring) {
    this.#keyring = keyring;
  }

  async send(email: FallbackCodeSettings['email'], message: FallbackMessage, timeoutMs: number): Promise<void> {
    const values = { code: message.code, user: message.upn, minutes: String(Math.max(1, Math.round(message.ttlSeconds / 60))) };
    const sending = this.#transporter(email).sendMail({
      from: email.from,
      to: message.to,
      subject: renderTemplate(email.subject, values, 'text'),
      text: renderTemplate(email.template, values, 'text'),
    });
    // The caller's deadline, not the pool's socket timeouts, bounds this send; a late one may still complete.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error('SMTP send timed out'), { code: 'timeout' })), timeoutMs);
    });
    try {
      await Promise.race([sending, late]);
    } finally {
      clearTimeout(timer);
      sending.catch(() => undefined);
    }
  }

  #transporter(email: FallbackCodeSettings['email']): Transporter {
    const key = JSON.stringify([
      email.host,
      email.port,
      email.secure,
      email.startTls,
      email.caCertificate,
      email.username,
      email.passwordSealed,
    ]);
    if (this.#transport?.key === key) return this.#transport.transporter;
    this.#transport?.transporter.close();
    const password =
      email.passwordSealed === undefined ? undefined : this.#keyring.openText(email.passwordSealed, FALLBACK_SMTP_PASSWORD_CONTEXT);
    const transporter = nodemailer.createTransport({
      pool: true,
      maxConnections: 3,
      host: email.host,
      port: email.port,
      secure: email.secure,
      // Without implicit TLS, STARTTLS is required (never a fallback to plain text) when asked for.
      requireTLS: !email.secure && email.startTls,
      ignoreTLS: !email.secure && !email.startTls,
      ...(email.caCertificate === undefined ? {} : { tls: { ca: email.caCertificate } }),
      ...(email.username === undefined || password === undefined ? {} : { auth: { user: email.username, pass: password } }),
      connectionTimeout: SMTP_SOCKET_TIMEOUT_MS,
      greetingTimeout: SMTP_SOCKET_TIMEOUT_MS,
      socketTimeout: SMTP_SOCKET_TIMEOUT_MS,
      logger: false,
      debug: false,
    });
    this.#transport = { key, transporter };
    return transporter;
  }

  close(): void {
    this.#transport?.transporter.close();
    this.#transport = undefined;
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
