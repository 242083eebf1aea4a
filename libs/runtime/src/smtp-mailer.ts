/**
 * Sends mail through the SMTP server of the `fallback-codes` settings (their email section): one
 * pooled nodemailer transport, made again only when the server settings change (a fingerprint
 * without the password's plaintext keys the pool). The otp-verifier sends fallback codes with it,
 * the admin API enrolment links. Each send is cut to its caller's deadline.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { FALLBACK_SMTP_PASSWORD_CONTEXT } from '@tollgate/contracts';
import type { Keyring } from '@tollgate/security';
import type { FallbackCodeSettings } from '@tollgate/store';

/** The pooled connections' own timeouts; each send is also cut to its caller's deadline. */
const SMTP_SOCKET_TIMEOUT_MS = 10_000;

/** The SMTP server and sender, as the `fallback-codes` settings keep them. */
export type SmtpSettings = Pick<
  FallbackCodeSettings['email'],
  'host' | 'port' | 'secure' | 'startTls' | 'caCertificate' | 'username' | 'passwordSealed' | 'from'
>;

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export class SmtpMailer {
  readonly #keyring: Keyring;
  #transport: { key: string; transporter: Transporter } | undefined;

  constructor(keyring: Keyring) {
    this.#keyring = keyring;
  }

  /** Rejects with a `code: 'timeout'` error when `timeoutMs` passes first (a late send may still complete). */
  async send(smtp: SmtpSettings, message: MailMessage, timeoutMs: number): Promise<void> {
    const sending = this.#transporter(smtp).sendMail({ from: smtp.from, to: message.to, subject: message.subject, text: message.text });
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

  #transporter(smtp: SmtpSettings): Transporter {
    const key = JSON.stringify([smtp.host, smtp.port, smtp.secure, smtp.startTls, smtp.caCertificate, smtp.username, smtp.passwordSealed]);
    if (this.#transport?.key === key) return this.#transport.transporter;
    this.#transport?.transporter.close();
    const password =
      smtp.passwordSealed === undefined ? undefined : this.#keyring.openText(smtp.passwordSealed, FALLBACK_SMTP_PASSWORD_CONTEXT);
    const transporter = nodemailer.createTransport({
      pool: true,
      maxConnections: 3,
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      // Without implicit TLS, STARTTLS is required (never a fallback to plain text) when asked for.
      requireTLS: !smtp.secure && smtp.startTls,
      ignoreTLS: !smtp.secure && !smtp.startTls,
      ...(smtp.caCertificate === undefined ? {} : { tls: { ca: smtp.caCertificate } }),
      ...(smtp.username === undefined || password === undefined ? {} : { auth: { user: smtp.username, pass: password } }),
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
