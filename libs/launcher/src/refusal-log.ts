/**
 * Turns a stream of refusals into few log lines: the first one at once, then one summary per
 * interval with a count per kind, so a flood of forged messages cannot flood the log.
 */
export class RefusalLog {
  readonly #write: (counts: Record<string, number>, first: boolean) => void;
  readonly #intervalMs: number;
  #pending = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #logged = false;

  constructor(write: (counts: Record<string, number>, first: boolean) => void, intervalMs = 10_000) {
    this.#write = write;
    this.#intervalMs = intervalMs;
  }

  add(key: string): void {
    if (!this.#logged) {
      this.#logged = true;
      this.#write({ [key]: 1 }, true);
      return;
    }
    this.#pending.set(key, (this.#pending.get(key) ?? 0) + 1);
    this.#timer ??= setTimeout(() => this.flush(), this.#intervalMs).unref();
  }

  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.size === 0) return;
    const counts = Object.fromEntries(this.#pending);
    this.#pending = new Map();
    this.#write(counts, false);
  }
}
