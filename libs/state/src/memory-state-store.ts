import type { StateCallOptions, StateStore } from './state-store.js';
import { withStateSpan } from './state-span.js';

interface Entry {
  value: Buffer;
  expiresAt: number;
}

/**
 * StateStore in process memory, for the embedded one-box install. Expired entries are
 * dropped on read and by a periodic sweep so the map cannot grow without bound.
 */
export class MemoryStateStore implements StateStore {
  readonly kind = 'memory' as const;
  readonly #entries = new Map<string, Entry>();
  readonly #sweep: NodeJS.Timeout;
  readonly #now: () => number;

  constructor(now: () => number = Date.now, sweepMs = 10_000) {
    this.#now = now;
    this.#sweep = setInterval(() => this.#sweepExpired(), sweepMs);
    this.#sweep.unref();
  }

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #sweepExpired(): void {
    const now = this.#now();
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
  }

  setIfAbsent(key: string, value: Buffer, ttlMs: number): Promise<boolean> {
    return withStateSpan('memory', 'SET', 'setIfAbsent', async () => {
      if (this.#live(key)) return false;
      this.#entries.set(key, { value, expiresAt: this.#now() + ttlMs });
      return true;
    });
  }

  set(key: string, value: Buffer, ttlMs: number): Promise<void> {
    return withStateSpan('memory', 'SET', 'set', async () => {
      this.#entries.set(key, { value, expiresAt: this.#now() + ttlMs });
    });
  }

  swap(key: string, value: Buffer, ttlMs: number): Promise<Buffer | null> {
    return withStateSpan('memory', 'SET', 'swap', async () => {
      const old = this.#live(key)?.value ?? null;
      this.#entries.set(key, { value, expiresAt: this.#now() + ttlMs });
      return old;
    });
  }

  get(key: string): Promise<Buffer | null> {
    return withStateSpan('memory', 'GET', 'get', async () => this.#live(key)?.value ?? null);
  }

  increment(key: string, ttlMs: number): Promise<number> {
    return withStateSpan('memory', 'INCR', 'increment', async () => {
      const entry = this.#live(key);
      const next = (entry ? Number(entry.value.toString()) : 0) + 1;
      this.#entries.set(key, { value: Buffer.from(String(next)), expiresAt: this.#now() + ttlMs });
      return next;
    });
  }

  counter(key: string): Promise<number> {
    return withStateSpan('memory', 'GET', 'counter', async () => {
      const entry = this.#live(key);
      return entry ? Number(entry.value.toString()) : 0;
    });
  }

  counters(keys: readonly string[]): Promise<number[]> {
    return withStateSpan('memory', 'MGET', 'counters', async () =>
      keys.map((key) => {
        const entry = this.#live(key);
        return entry ? Number(entry.value.toString()) : 0;
      }),
    );
  }

  delete(key: string): Promise<void> {
    return withStateSpan('memory', 'DEL', 'delete', async () => {
      this.#entries.delete(key);
    });
  }

  // Memory answers at once: a caller's time limit never comes into play.
  async ping(_options?: StateCallOptions): Promise<void> {}

  healthy(): boolean {
    return true;
  }

  async close(): Promise<void> {
    clearInterval(this.#sweep);
    this.#entries.clear();
  }
}
