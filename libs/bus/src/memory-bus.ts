import { BusError } from '@tollgate/contracts';
import type { Bus, BusHandler, BusRequestOptions, ServiceSpec } from './bus.js';
import { withHandlerSpan, withRequestSpan } from './trace-headers.js';

/**
 * The in-process transport for the embedded install: the same subjects, JSON payloads,
 * timeouts, error codes and trace headers as NATS, minus the network. Payloads are copied
 * through JSON so no service can share an object with another by accident.
 */
export class MemoryBus implements Bus {
  readonly kind = 'memory' as const;
  readonly #endpoints = new Map<string, BusHandler[]>();
  readonly #cursor = new Map<string, number>();
  readonly #subscribers = new Map<string, Set<(payload: unknown) => void>>();
  readonly #inFlight = new Set<Promise<unknown>>();
  #serving = true;
  #closed = false;

  async request<T>(subject: string, payload: unknown, options: BusRequestOptions): Promise<T> {
    if (this.#closed) throw new BusError('closed', 'bus connection is closed');
    return withRequestSpan(subject, async (headers) => {
      const handlers = this.#serving ? this.#endpoints.get(subject) : undefined;
      if (!handlers || handlers.length === 0) throw new BusError('no_responders', `no service answers on ${subject}`);
      const index = (this.#cursor.get(subject) ?? 0) % handlers.length;
      this.#cursor.set(subject, index + 1);
      const handler = handlers[index]!;
      const body = JSON.stringify(payload);
      const work = new Promise<unknown>((resolve) => setImmediate(resolve))
        .then(() => withHandlerSpan(subject, { ...headers }, () => handler(JSON.parse(body))))
        .then((result) => JSON.parse(JSON.stringify(result ?? null)));
      const tracked = work.catch(() => undefined).finally(() => this.#inFlight.delete(tracked));
      this.#inFlight.add(tracked);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new BusError('timeout', `no reply on ${subject} in time`)), options.timeoutMs);
      });
      try {
        return (await Promise.race([work, timeout])) as T;
      } catch (error) {
        if (error instanceof BusError) throw error;
        throw new BusError('internal', 'internal error');
      } finally {
        clearTimeout(timer);
      }
    });
  }

  async serve(spec: ServiceSpec): Promise<void> {
    for (const endpoint of spec.endpoints) {
      const list = this.#endpoints.get(endpoint.subject) ?? [];
      list.push(endpoint.handler);
      this.#endpoints.set(endpoint.subject, list);
    }
  }

  publish(subject: string, payload: unknown): void {
    if (this.#closed) return;
    const body = JSON.stringify(payload);
    for (const handler of this.#subscribers.get(subject) ?? []) {
      setImmediate(() => {
        try {
          handler(JSON.parse(body));
        } catch {
          // A bad event must not break the publisher.
        }
      });
    }
  }

  subscribe(subject: string, handler: (payload: unknown) => void): () => void {
    const set = this.#subscribers.get(subject) ?? new Set();
    set.add(handler);
    this.#subscribers.set(subject, set);
    return () => set.delete(handler);
  }

  healthy(): boolean {
    return !this.#closed;
  }

  async drain(): Promise<void> {
    this.#serving = false;
    await Promise.allSettled([...this.#inFlight]);
    this.#closed = true;
    this.#endpoints.clear();
    this.#subscribers.clear();
  }
}
