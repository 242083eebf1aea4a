import { requestWithinBudget, systemClock, type Clock } from '@tollgate/runtime';

/**
 * One verifier, asked within the time the gateway still waits (requestWithinBudget). An attempt
 * that times out, or finds nobody listening, is tried again while time is left: a replica that
 * died holding the request is replaced by another member of the queue group. Re-asking is safe
 * because both checks are idempotent for one RADIUS request (the OTP claim carries the request
 * key). Resolves with the reply, or undefined when no verifier answered in time.
 */
export interface Budget {
  /** When the answer is no longer useful (ms, on the clock `now` reads). */
  deadline: number;
  /** Longest one attempt may take; below the budget so that a dead replica leaves time to retry. */
  attemptCapMs: number;
}

/** Below this, a new attempt cannot finish in time and is not started. */
export const MIN_ATTEMPT_MS = 50;
/** Pause before asking again when nobody listened (a replica restarting). */
export const NO_RESPONDER_PAUSE_MS = 50;

export async function askWithinBudget(
  send: (timeoutMs: number) => Promise<unknown>,
  budget: Budget,
  options: { clock?: Clock; onError: (error: unknown) => void },
): Promise<unknown> {
  const clock = options.clock ?? systemClock;
  try {
    return await requestWithinBudget(send, {
      budgetMs: budget.deadline - clock.now(),
      attemptCapMs: budget.attemptCapMs,
      minAttemptMs: MIN_ATTEMPT_MS,
      pauseMs: NO_RESPONDER_PAUSE_MS,
      clock,
      onError: options.onError,
    });
  } catch {
    return undefined;
  }
}
