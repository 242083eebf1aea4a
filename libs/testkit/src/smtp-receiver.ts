import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { TestCertificates } from './test-certificates.js';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The raw message (headers and body). */
  raw: string;
  /** Whether the connection was encrypted (STARTTLS or implicit TLS). */
  secure: boolean;
  /** The user name it authenticated with, if any. */
  user?: string | undefined;
}

export interface SmtpReceiverOptions {
  /** Implicit TLS on connect (SMTPS). */
  secure?: boolean;
  /** Offer STARTTLS (needs `certificates`). */
  startTls?: boolean;
  certificates?: TestCertificates;
  /** Require this login (PLAIN / LOGIN). */
  auth?: { username: string; password: string };
}

/** A real SMTP server on 127.0.0.1 (npm `smtp-server`) that keeps every message it receives. */
export class SmtpReceiver {
  readonly messages: ReceivedMail[] = [];
  readonly #server: SMTPServer;
  readonly #waiters: Array<() => void> = [];
  port = 0;
  /** SMTP connections opened so far (a pooled client reuses one). */
  connections = 0;

  constructor(options: SmtpReceiverOptions = {}) {
    const tls = options.certificates === undefined ? {} : { key: options.certificates.key, cert: options.certificates.cert };
    this.#server = new SMTPServer({
      secure: options.secure === true,
      ...tls,
      disabledCommands: [...(options.startTls === true || options.secure === true ? [] : ['STARTTLS']), ...(options.auth ? [] : ['AUTH'])],
      authOptional: options.auth === undefined,
      allowInsecureAuth: false,
      logger: false,
      onConnect: (_smtp, callback) => {
        this.connections += 1;
        callback();
      },
      onAuth(auth, _smtp, callback) {
        if (options.auth && auth.username === options.auth.username && auth.password === options.auth.password) {
          callback(null, { user: auth.username });
        } else {
          callback(new Error('Invalid username or password'));
        }
      },
      onData: (stream, smtp, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          this.messages.push({
            from: smtp.envelope.mailFrom === false ? '' : smtp.envelope.mailFrom.address,
            to: smtp.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
            secure: smtp.secure,
            user: typeof smtp.user === 'string' ? smtp.user : undefined,
          });
          for (const wake of this.#waiters.splice(0)) wake();
          callback();
        });
      },
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.#server.server.address() as AddressInfo).port;
    return this;
  }

  /** The next message after `count` received so far, within `timeoutMs`. */
  async waitFor(count: number, timeoutMs = 5000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length <= count) {
      if (Date.now() > deadline) throw new Error('no mail arrived in time');
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
    return this.messages[count]!;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/**
 * The six-digit code in a message's body (the first one after "code"). A whole message (headers
 * first) is searched from the blank line on: a header such as the Message-ID can hold six digits
 * in a row too.
 */
export function codeIn(text: string): string {
  const headerEnd = /^[A-Za-z][A-Za-z0-9-]*:/.test(text) ? /\r?\n\r?\n/.exec(text) : null;
  const body = headerEnd ? text.slice(headerEnd.index + headerEnd[0].length) : text;
  const match = /code\D{0,40}([0-9]{6})\b/i.exec(body) ?? /\b([0-9]{6})\b/.exec(body);
  if (!match?.[1]) throw new Error('no code in the message');
  return match[1];
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A local HTTP server standing in for an SMS gateway's API: keeps every request, answers `status`. */
export class HttpReceiver {
  readonly requests: ReceivedRequest[] = [];
  status = 201;
  readonly #server: Server;
  port = 0;

  constructor() {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.requests.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        res.writeHead(this.status, { 'content-type': 'application/json' }).end('{"sid":"SM1"}');
      });
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
