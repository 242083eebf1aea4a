/**
 * What the admin API does with failed authentication: the limiter decides who is refused (429);
 * the log tells a source's first failure of an interval at once and the rest in one warning per
 * source at the end of each `logIntervalMs` interval.
 * The timer runs only while there is something to tell and never keeps the process alive;
 * `close()` tells what is left.
 */
import type { Logger } from '@tollgate/logging';
import { AuthFailureLimiter, type Admission, type AuthFailureLimits } from './auth-failure-limiter.js';
import { AuthFailureSummary, type FailureCount, type FailureKind } from './auth-failure-summary.js';

export const DEFAULT_LOG_INTERVAL_MS = 10_000;

export interface AuthGuardOptions extends AuthFailureLimits {
  logger: Logger;
  logIntervalMs?: number;
  now?: () => number;
}

export class AuthGuard {
  readonly #limiter: AuthFailureLimiter;
  readonly #summary = new AuthFailureSummary();
  readonly #logger: Logger;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: AuthGuardOptions) {
    this.#limiter = new AuthFailureLimiter(options, options.now);
    this.#logger = options.logger;
    this.#intervalMs = options.logIntervalMs ?? DEFAULT_LOG_INTERVAL_MS;
  }

  admit(source: string): Admission {
    return this.#limiter.admit(source);
  }

  failed(source: string): void {
    this.#limiter.fail(source);
    this.#tell(source, 'failure');
  }

  throttled(source: string): void {
    this.#tell(source, 'throttled');
  }

  succeeded(source: string): void {
    this.#limiter.succeed(source);
  }

  /** Logs the counts gathered so far: one line per source. */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const count of this.#summary.drain()) this.#log(count);
  }

  close(): void {
    this.flush();
  }

  #log(count: FailureCount): void {
    this.#logger.warn(count, 'admin API requests without a valid token');
  }

  #tell(source: string, kind: FailureKind): void {
    if (this.#summary.record(source, kind) === 'first') {
      this.#log({ remote: source, failures: kind === 'failure' ? 1 : 0, throttled: kind === 'throttled' ? 1 : 0 });
    }
    if (this.#timer) return;
    this.#timer = setTimeout(() => this.flush(), this.#intervalMs);
    this.#timer.unref();
  }
}
