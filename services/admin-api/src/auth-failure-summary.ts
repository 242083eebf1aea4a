/**
 * Failed authentications told in summary, per source and interval: the first one from a source
 * in an interval is told at once (an admin's typo shows up without delay), the rest are counted
 * and drained at the interval's end as one line per source (how many tokens failed, how many
 * requests were refused as throttled). So 3,000 wrong tokens make two lines, not 3,000. At most
 * `maxSources` sources are told apart in one interval; the rest are counted under OTHER_SOURCES.
 */
export interface FailureCount {
  remote: string;
  /** Requests with a missing or wrong token. */
  failures: number;
  /** Requests refused with 429 before their token was looked at. */
  throttled: number;
}

export type FailureKind = 'failure' | 'throttled';

export const OTHER_SOURCES = 'other sources';
const DEFAULT_MAX_SOURCES = 1_000;

export class AuthFailureSummary {
  readonly #counts = new Map<string, FailureCount>();
  readonly #maxSources: number;

  constructor(maxSources = DEFAULT_MAX_SOURCES) {
    this.#maxSources = maxSources;
  }

  /** 'first': the source's first in this interval, not counted (the caller tells it now); else 'counted'. */
  record(source: string, kind: FailureKind): 'first' | 'counted' {
    let count = this.#counts.get(source);
    if (!count) {
      if (this.#counts.size < this.#maxSources) {
        this.#counts.set(source, { remote: source, failures: 0, throttled: 0 });
        return 'first';
      }
      count = this.#counts.get(OTHER_SOURCES);
      if (!count) {
        count = { remote: OTHER_SOURCES, failures: 0, throttled: 0 };
        this.#counts.set(OTHER_SOURCES, count);
      }
    }
    if (kind === 'failure') count.failures++;
    else count.throttled++;
    return 'counted';
  }

  /** Whether an interval is open (some source was recorded since the last drain). */
  get pending(): boolean {
    return this.#counts.size > 0;
  }

  /** The counts since the last drain (sources with nothing after their first are left out); a fresh start. */
  drain(): FailureCount[] {
    const counts = [...this.#counts.values()].filter((c) => c.failures + c.throttled > 0);
    this.#counts.clear();
    return counts;
  }
}
