import { randomUUID } from 'node:crypto';
import { BusError } from '@tollgate/contracts';
import type { Bus, BusHandler, BusObserver, BusRequestOptions, Served, ServiceReplica, ServiceSpec } from './bus.js';
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
  readonly #observer: BusObserver | undefined;
  readonly #served = new Set<ServiceReplica>();
  #serving = true;
  #closed = false;

  /** `observer` hears of every request (outcome and duration), e.g. for metrics. */
  constructor(options: { observer?: BusObserver } = {}) {
    this.#observer = options.observer;
  }

  async request<T>(subject: string, payload: unknown, options: BusRequestOptions): Promise<T> {
    if (this.#closed) throw new BusError('closed', 'bus connection is closed');
    return withRequestSpan(
      subject,
      async (headers) => {
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
      },
      this.#observer,
    );
  }

  async serve(spec: ServiceSpec): Promise<Served> {
    const mine = new Set<Promise<unknown>>();
    const replica: ServiceReplica = {
      name: spec.name,
      id: randomUUID(),
      version: spec.version,
      startedAt: new Date().toISOString(),
      requests: 0,
    };
    this.#served.add(replica);
    const added = spec.endpoints.map((endpoint) => {
      // Wrapped so that stop() can wait for this service's own handlers.
      const handler: BusHandler = (payload) => {
        replica.requests++;
        const work = endpoint.handler(payload);
        const tracked = work.catch(() => undefined).finally(() => mine.delete(tracked));
        mine.add(tracked);
        return work;
      };
      const list = this.#endpoints.get(endpoint.subject) ?? [];
      list.push(handler);
      this.#endpoints.set(endpoint.subject, list);
      return { subject: endpoint.subject, handler };
    });
    return {
      stop: async () => {
        this.#served.delete(replica);
        for (const { subject, handler } of added) {
          const list = this.#endpoints.get(subject)?.filter((h) => h !== handler) ?? [];
          if (list.length) this.#endpoints.set(subject, list);
          else this.#endpoints.delete(subject);
        }
        await Promise.allSettled([...mine]);
      },
    };
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

  async replicas(): Promise<ServiceReplica[]> {
    return [...this.#served].map((r) => ({ ...r })).sort((a, b) => a.name.localeCompare(b.name));
  }

  healthy(): boolean {
    return !this.#closed;
  }

  async drain(): Promise<void> {
    this.#serving = false;
    await Promise.allSettled([...this.#inFlight]);
    this.#closed = true;
    this.#endpoints.clear();
    this.#served.clear();
    this.#subscribers.clear();
  }
}
