import { createInbox, nuid, type MsgHdrs, type Msg, type NatsConnection, type Subscription } from 'nats';
import { BusError } from '@tollgate/contracts';

/**
 * Request/reply over one wildcard inbox subscription per connection: each request publishes
 * with a reply subject `<inbox>.<token>` and waits for the first message there or its timeout.
 * This is what nats.js's own request does, minus its per-request cost: nats.js builds an Error
 * (stack trace included) for every request that completes, a measurable share of the hot path.
 * A reply arriving after the timeout finds no one waiting and is dropped.
 *
 * Each request may bring its own `open`: a reply it refuses (one not sealed for this request,
 * say, from a rogue client answering first) is reported to `refused` and the request goes on
 * waiting for the real answer, so a forged reply can neither win the race nor end the wait.
 */
export type ReplyCheck<T> = (msg: Msg) => { ok: true; value: T } | { ok: false; reason: string };

interface Waiting {
  deliver(msg: Msg): boolean;
  reject(error: BusError): void;
  timer: NodeJS.Timeout;
  subject: string;
}

export interface MuxRequestOptions<T> {
  timeoutMs: number;
  headers?: MsgHdrs;
  /** Checks and opens a reply; without it the message itself is the reply. */
  open?: ReplyCheck<T>;
  /** Told of each reply `open` refused, with its reason. */
  refused?: (reason: string) => void;
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
  request<T = Msg>(subject: string, data: Uint8Array, options: MuxRequestOptions<T>): Promise<T> {
    this.#subscription ??= this.#nc.subscribe(`${this.#prefix}*`, { callback: (error, msg) => this.#deliver(error, msg) });
    const token = nuid.next();
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(token);
        reject(new BusError('timeout', `no reply on ${subject} in time`));
      }, options.timeoutMs);
      const { open, refused } = options;
      const deliver = (msg: Msg): boolean => {
        if (!open) {
          resolve(msg as T);
          return true;
        }
        const opened = open(msg);
        if (opened.ok) resolve(opened.value);
        else refused?.(opened.reason);
        return opened.ok;
      };
      this.#waiting.set(token, { deliver, reject, timer, subject });
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
    // NATS answers a request nobody is subscribed to with an empty 503 status message.
    if (msg.data.length === 0 && msg.headers?.code === 503) {
      this.#settle(token, waiting);
      waiting.reject(new BusError('no_responders', `no service answers on ${waiting.subject}`));
      return;
    }
    if (waiting.deliver(msg)) this.#settle(token, waiting);
  }

  #settle(token: string, waiting: Waiting): void {
    this.#waiting.delete(token);
    clearTimeout(waiting.timer);
  }
}
