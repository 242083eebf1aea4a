/**
 * Throttling of failed authentication by source, the pure core: after `maxFailures` failed tokens
 * from one source within `windowMs` (a window opened by the source's first failure), that source
 * is refused until the window ends. Each source has its own count, so nobody's failures slow down
 * anyone else's requests, and a success clears only its own source's count. Time is passed in.
 *
 * The table lives in this process (each replica counts on its own) and holds at most `maxSources`
 * sources: expired ones go first, then the oldest.
 */
import { formatIp, parseIp } from './canonical-address.js';

export interface AuthFailureLimits {
  /** Failures from one source within the window after which it is refused. */
  maxFailures: number;
  windowMs: number;
  /** Most sources remembered at once (default 10,000). */
  maxSources?: number;
}

export type Admission = { allowed: true } | { allowed: false; retryAfterMs: number };

interface Entry {
  windowEnd: number;
  failures: number;
}

const DEFAULT_MAX_SOURCES = 10_000;

export class AuthFailureLimiter {
  readonly #limits: Required<AuthFailureLimits>;
  readonly #now: () => number;
  // Insertion order is window-opening order: the first entries are the first to expire.
  readonly #entries = new Map<string, Entry>();

  constructor(limits: AuthFailureLimits, now: () => number = Date.now) {
    if (!(limits.maxFailures >= 1) || !(limits.windowMs > 0)) throw new Error('maxFailures must be at least 1 and windowMs positive');
    this.#limits = { maxSources: DEFAULT_MAX_SOURCES, ...limits };
    this.#now = now;
  }

  /** May a request from `source` be checked at all? */
  admit(source: string): Admission {
    const entry = this.#live(source);
    if (!entry || entry.failures < this.#limits.maxFailures) return { allowed: true };
    return { allowed: false, retryAfterMs: entry.windowEnd - this.#now() };
  }

  /** Counts a failed authentication from `source`. */
  fail(source: string): void {
    const entry = this.#live(source);
    if (entry) {
      entry.failures++;
      return;
    }
    this.#makeRoom();
    this.#entries.set(source, { windowEnd: this.#now() + this.#limits.windowMs, failures: 1 });
  }

  /** A valid token from `source`: its count starts again. Other sources are untouched. */
  succeed(source: string): void {
    this.#entries.delete(source);
  }

  /** Sources remembered now (for tests and bounds). */
  get size(): number {
    return this.#entries.size;
  }

  #live(source: string): Entry | undefined {
    const entry = this.#entries.get(source);
    if (entry && entry.windowEnd <= this.#now()) {
      this.#entries.delete(source);
      return undefined;
    }
    return entry;
  }

  #makeRoom(): void {
    if (this.#entries.size < this.#limits.maxSources) return;
    const now = this.#now();
    for (const [source, entry] of this.#entries) {
      if (entry.windowEnd > now) break;
      this.#entries.delete(source);
    }
    while (this.#entries.size >= this.#limits.maxSources) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }
}

/**
 * The source a request is counted under: its IP address, IPv4-mapped IPv6 as IPv4, and IPv6 by
 * its /64 (one host usually holds a whole /64, so counting single addresses would count nothing).
 */
export function sourceKey(remoteAddress: string | undefined): string {
  const bytes = remoteAddress ? parseIp(remoteAddress) : null;
  if (!bytes) return remoteAddress || 'unknown';
  if (bytes.length === 4) return formatIp(bytes);
  if (bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return formatIp(bytes.subarray(12));
  const network = Buffer.concat([bytes.subarray(0, 8), Buffer.alloc(8)]);
  return `${formatIp(network)}/64`;
}
