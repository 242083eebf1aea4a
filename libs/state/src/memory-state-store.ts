import type { StateStore } from './state-store.js';

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

  async setIfAbsent(key: string, value: Buffer, ttlMs: number): Promise<boolean> {
    if (this.#live(key)) return false;
    this.#entries.set(key, { value, expiresAt: this.#now() + ttlMs });
    return true;
  }

  async set(key: string, value: Buffer, ttlMs: number): Promise<void> {
    this.#entries.set(key, { value, expiresAt: this.#now() + ttlMs });
  }

  async get(key: string): Promise<Buffer | null> {
    return this.#live(key)?.value ?? null;
  }

  async increment(key: string, ttlMs: number): Promise<number> {
    const entry = this.#live(key);
    const next = (entry ? Number(entry.value.toString()) : 0) + 1;
    this.#entries.set(key, { value: Buffer.from(String(next)), expiresAt: this.#now() + ttlMs });
    return next;
  }

  async counter(key: string): Promise<number> {
    const entry = this.#live(key);
    return entry ? Number(entry.value.toString()) : 0;
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  healthy(): boolean {
    return true;
  }

  async close(): Promise<void> {
    clearInterval(this.#sweep);
    this.#entries.clear();
  }
}
