import { BusError, type BusErrorCode } from '@tollgate/contracts';
import { systemClock, type Clock } from './clock.js';

/**
 * How one request may spend its time: `budgetMs` from now in all, each attempt capped so that a
 * responder that died holding it leaves time to ask another (the last attempt allowed gets all
 * that is left), and another attempt only after a failure worth retrying.
 */
export interface RequestBudget {
  /** All the time there is, from the call. */
  budgetMs: number;
  /** Longest one attempt may take, but the last one allowed (which gets all that is left). */
  attemptCapMs: number;
  /** At most this many attempts (default: as many as fit). */
  maxAttempts?: number;
  /** No first attempt starts with less than this left (default 0: the first one always goes). */
  minAttemptMs?: number;
  /** No later attempt starts with less than this left (default: minAttemptMs). */
  minRetryMs?: number;
  /**
   * Pause before the next attempt after a failure that came fast (nobody listening: replicas
   * restarting), cut short so that the next attempt keeps its minRetryMs. None after a timeout.
   */
  pauseMs: number;
  /** The bus error codes worth another attempt (default RETRIED_BUS_ERRORS). */
  retryOn?: ReadonlySet<BusErrorCode>;
  clock?: Clock;
  /** Told every failed attempt, retried or not (for metrics). */
  onError?(error: unknown): void;
}

/**
 * Nobody answered in time, nobody listened, or the connection was closing: another replica may
 * answer. A responder that answered with an error (`bad_request`, `internal`) is not asked again.
 */
export const RETRIED_BUS_ERRORS: ReadonlySet<BusErrorCode> = new Set<BusErrorCode>(['timeout', 'no_responders', 'closed']);

/**
 * Sends a request (`send` gets the attempt's timeout) within a budget, again after a failure
 * worth retrying while time is left; resolves with the first answer. Rejects with the last
 * attempt's error, or a `timeout` BusError if there was no time for any attempt. Re-asking is
 * only for requests that are safe to run twice (each caller says why its are).
 */
export async function requestWithinBudget<T>(send: (timeoutMs: number) => Promise<T>, budget: RequestBudget): Promise<T> {
  const clock = budget.clock ?? systemClock;
  const maxAttempts = budget.maxAttempts ?? Number.POSITIVE_INFINITY;
  const minAttemptMs = budget.minAttemptMs ?? 0;
  const minRetryMs = budget.minRetryMs ?? minAttemptMs;
  const retryOn = budget.retryOn ?? RETRIED_BUS_ERRORS;
  const deadline = clock.now() + budget.budgetMs;
  // Made only when no attempt ran: an Error's stack capture is a measurable share of the hot path.
  let lastError: unknown;
  let attempted = false;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    // The first attempt gets the budget exactly as given (no clock read between the two).
    const remaining = attempt === 1 ? budget.budgetMs : deadline - clock.now();
    if (remaining < (attempt === 1 ? minAttemptMs : minRetryMs)) break;
    attempted = true;
    try {
      return await send(attempt < maxAttempts ? Math.min(remaining, budget.attemptCapMs) : remaining);
    } catch (error) {
      budget.onError?.(error);
      lastError = error;
      if (!(error instanceof BusError) || !retryOn.has(error.code) || attempt >= maxAttempts) break;
      if (error.code !== 'timeout') await clock.sleep(Math.min(budget.pauseMs, Math.max(0, deadline - clock.now() - minRetryMs)));
    }
  }
  throw attempted ? lastError : new BusError('timeout', 'no time left to ask');
}
