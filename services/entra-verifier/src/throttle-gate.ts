/**
 * Remembers, per token endpoint and client, until when Entra asked us to stop (Retry-After),
 * so the service answers `throttled` itself instead of hammering a throttling Entra. Per
 * process and in memory: each replica learns it from its own first throttled answer.
 */
export class ThrottleGate {
  readonly #until = new Map<string, number>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Closes the gate for `key` for `seconds` (never shortens a longer wait already known). */
  block(key: string, seconds: number): void {
    if (!(seconds > 0)) return;
    const until = this.#now() + seconds * 1000;
    if (until > (this.#until.get(key) ?? 0)) this.#until.set(key, until);
  }

  /** Milliseconds left before `key` may be called again; 0 when it may. */
  remainingMs(key: string): number {
    const until = this.#until.get(key);
    if (until === undefined) return 0;
    const left = until - this.#now();
    if (left > 0) return left;
    this.#until.delete(key);
    return 0;
  }
}
