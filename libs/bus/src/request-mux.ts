import { createInbox, nuid, type MsgHdrs, type Msg, type NatsConnection, type Subscription } from 'nats';
import { BusError } from '@tollgate/contracts';

/**
 * Request/reply over one wildcard inbox subscription per connection: each request publishes
 * with a reply subject `<inbox>.<token>` and waits for the first message there or its timeout.
 * This is what nats.js's own request does, minus its per-request cost: nats.js builds an Error
 * (stack trace included) for every request that completes, a measurable share of the hot path.
 * A reply arriving after the timeout finds no one waiting and is dropped.
 */
interface Waiting {
  resolve(msg: Msg): void;
  reject(error: BusError): void;
  timer: NodeJS.Timeout;
  subject: string;
}

export class RequestMux {
  readonly #nc: NatsConnection;
  readonly #prefix: string;
  readonly #waiting = new Map<string, Waiting>();
  #subscription: Subscription | undefined;

  constructor(nc: NatsConnection) {
    this.#nc = nc;
    this.#prefix = `${createInbox()}.`;
  }

  /**
   * Publishes `data` to `subject` and resolves with the reply. Rejects with a BusError:
   * `timeout`, `no_responders` (the server's 503 status reply), or `closed`. Errors nats.js
   * throws while publishing (connection closed or draining) are rethrown as they are.
   */
  request(subject: string, data: Uint8Array, options: { timeoutMs: number; headers?: MsgHdrs }): Promise<Msg> {
    this.#subscription ??= this.#nc.subscribe(`${this.#prefix}*`, { callback: (error, msg) => this.#deliver(error, msg) });
    const token = nuid.next();
    return new Promise<Msg>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(token);
        reject(new BusError('timeout', `no reply on ${subject} in time`));
      }, options.timeoutMs);
      this.#waiting.set(token, { resolve, reject, timer, subject });
      try {
        this.#nc.publish(subject, data, { reply: `${this.#prefix}${token}`, ...(options.headers ? { headers: options.headers } : {}) });
      } catch (error) {
        clearTimeout(timer);
        this.#waiting.delete(token);
        reject(error);
      }
    });
  }

  /** Requests waiting for a reply. */
  get waiting(): number {
    return this.#waiting.size;
  }

  /** Fails every waiting request with `closed` (the connection is gone; no reply can come). */
  close(): void {
    for (const [token, waiting] of this.#waiting) {
      clearTimeout(waiting.timer);
      this.#waiting.delete(token);
      waiting.reject(new BusError('closed', 'bus connection is closed'));
    }
  }

  #deliver(error: Error | null, msg: Msg): void {
    if (error || !msg.subject.startsWith(this.#prefix)) return;
    const token = msg.subject.slice(this.#prefix.length);
    const waiting = this.#waiting.get(token);
    if (!waiting) return;
    this.#waiting.delete(token);
    clearTimeout(waiting.timer);
    // NATS answers a request nobody is subscribed to with an empty 503 status message.
    if (msg.data.length === 0 && msg.headers?.code === 503) {
      waiting.reject(new BusError('no_responders', `no service answers on ${waiting.subject}`));
      return;
    }
    waiting.resolve(msg);
  }
}
