/**
 * A small TTL cache with a size bound, for configuration read on the hot path (RADIUS clients,
 * tokens, settings). Admin changes invalidate entries through a config event; the TTL bounds
 * staleness if an event is ever missed. Concurrent misses for one key share one load.
 *
 * Expired entries leave as soon as they expire, not only when the size bound is reached: every
 * entry has the same TTL and is re-inserted at the end when stored again, so the map is in expiry
 * order and each store drops the expired ones from its front. A per-user cache thus holds the users
 * of the last TTL (at most `maxEntries`), not every user seen since the process started.
 */
export class TtlCache<K, V> {
  readonly #entries = new Map<K, { value: V; expiresAt: number }>();
  readonly #loading = new Map<K, Promise<V>>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  #generation = 0;
  hits = 0;
  misses = 0;

  constructor(options: { ttlMs: number; maxEntries?: number; now?: () => number }) {
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries ?? 100_000;
    this.#now = options.now ?? Date.now;
  }

  async get(key: K, load: (key: K) => Promise<V>): Promise<V> {
    const entry = this.#entries.get(key);
    if (entry) {
      if (entry.expiresAt > this.#now()) {
        this.hits++;
        return entry.value;
      }
      this.#entries.delete(key);
    }
    this.misses++;
    const pending = this.#loading.get(key);
    if (pending) return pending;
    const generation = this.#generation;
    const promise = load(key).then(
      (value) => {
        this.#loading.delete(key);
        // A load that started before an invalidation must not repopulate stale data.
        if (generation === this.#generation) this.#store(key, value);
        return value;
      },
      (error: unknown) => {
        this.#loading.delete(key);
        throw error;
      },
    );
    this.#loading.set(key, promise);
    return promise;
  }

  #store(key: K, value: V): void {
    const now = this.#now();
    this.#entries.delete(key);
    for (const [oldest, entry] of this.#entries) {
      if (entry.expiresAt > now && this.#entries.size < this.#maxEntries) break;
      this.#entries.delete(oldest);
    }
    this.#entries.set(key, { value, expiresAt: now + this.#ttlMs });
  }

  delete(key: K): void {
    this.#generation++;
    this.#entries.delete(key);
    this.#loading.delete(key);
  }

  clear(): void {
    this.#generation++;
    this.#entries.clear();
    this.#loading.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
