/**
 * Keeps early rejects from telling users apart. A request for an unknown, disabled or unenrolled
 * user, a locked second factor, a user or source over its wrong-password limit, or a password
 * without a code is rejected before any verifier is asked, in a few milliseconds; a request for
 * an enrolled user waits for Entra. Answered at once, the first kind would let anyone who can send
 * Access-Requests list the enrolled users by timing.
 *
 * So an early reject is held until a recent full decision's time has passed: one picked at random
 * from the last `window` decisions that asked the verifiers (so early rejects take as long as
 * real ones, spread the same way), never less than `floorMs`, and never more than the request's
 * budget (the gateway's deadline is never missed). A floor of 0 turns pacing off. Pure apart from
 * the injected randomness; the caller sleeps.
 */
export interface EarlyRejectPacerOptions {
  /** AGGREGATOR_REJECT_FLOOR_MS: the least an early reject takes; 0 answers at once. */
  floorMs: number;
  /** How many recent full decisions to pick from. */
  window?: number;
  /** In [0, 1); Math.random by default (this is not a secret, only a spread). */
  random?: () => number;
}

const DEFAULT_WINDOW = 128;

export class EarlyRejectPacer {
  readonly #floorMs: number;
  readonly #random: () => number;
  readonly #samples: number[] = [];
  readonly #window: number;
  #next = 0;

  constructor(options: EarlyRejectPacerOptions) {
    this.#floorMs = options.floorMs;
    this.#window = Math.max(1, options.window ?? DEFAULT_WINDOW);
    this.#random = options.random ?? Math.random;
  }

  /** Notes how long a decision that asked the verifiers took, in ms. */
  record(ms: number): void {
    if (this.#floorMs <= 0 || !Number.isFinite(ms) || ms < 0) return;
    if (this.#samples.length < this.#window) this.#samples.push(ms);
    else this.#samples[this.#next] = ms;
    this.#next = (this.#next + 1) % this.#window;
  }

  /** How long, in all, an early reject should take: at least the floor, at most `capMs`. */
  targetMs(capMs: number): number {
    if (this.#floorMs <= 0) return 0;
    const count = this.#samples.length;
    const sample = count === 0 ? 0 : this.#samples[Math.min(count - 1, Math.floor(this.#random() * count))]!;
    return Math.max(0, Math.min(capMs, Math.max(this.#floorMs, sample)));
  }
}
