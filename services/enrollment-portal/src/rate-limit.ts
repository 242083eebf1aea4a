/**
 * The portal's first, cheap gate: at most `limit` page requests per source address per window,
 * in this replica's memory (the admin API keeps the real per-user and per-address limits). Windows
 * are fixed; the table is swept as it grows, so a flood of addresses cannot grow it without bound.
 */
export class AddressRateLimit {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #maxEntries: number;
  readonly #counts = new Map<string, { count: number; until: number }>();

  constructor(options: { limit: number; windowMs: number; now?: () => number; maxEntries?: number }) {
    this.#limit = options.limit;
    this.#windowMs = options.windowMs;
    this.#now = options.now ?? Date.now;
    this.#maxEntries = options.maxEntries ?? 100_000;
  }

  /** Counts one request from `address`; false once it is over the limit in this window. */
  allow(address: string): boolean {
    const now = this.#now();
    let entry = this.#counts.get(address);
    if (!entry || entry.until <= now) {
      if (!entry && this.#counts.size >= this.#maxEntries) this.#sweep(now);
      entry = { count: 0, until: now + this.#windowMs };
      this.#counts.set(address, entry);
    }
    entry.count += 1;
    return entry.count <= this.#limit;
  }

  #sweep(now: number): void {
    for (const [address, entry] of this.#counts) if (entry.until <= now) this.#counts.delete(address);
    // Still full of live windows: start over rather than grow (the admin API's limits still hold).
    if (this.#counts.size >= this.#maxEntries) this.#counts.clear();
  }

  get size(): number {
    return this.#counts.size;
  }
}
