import { BusError } from '@tollgate/contracts';

/**
 * One verifier, asked within the time the gateway still waits. An attempt that times out, or
 * finds nobody listening, is tried again while time is left: a replica that died holding the
 * request is replaced by another member of the queue group. Re-asking is safe because both
 * checks are idempotent for one RADIUS request (the OTP claim carries the request key).
 * Resolves with the reply, or undefined when no verifier answered in time.
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

const RETRIED = new Set(['timeout', 'no_responders', 'closed']);

export async function askWithinBudget(
  send: (timeoutMs: number) => Promise<unknown>,
  budget: Budget,
  options: { now: () => number; onError: (error: unknown) => void; sleep?: (ms: number) => Promise<void> },
): Promise<unknown> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (;;) {
    const remaining = budget.deadline - options.now();
    if (remaining < MIN_ATTEMPT_MS) return undefined;
    try {
      return await send(Math.min(remaining, budget.attemptCapMs));
    } catch (error) {
      options.onError(error);
      if (!(error instanceof BusError) || !RETRIED.has(error.code)) return undefined;
      if (error.code !== 'timeout') await sleep(Math.min(NO_RESPONDER_PAUSE_MS, Math.max(0, budget.deadline - options.now() - MIN_ATTEMPT_MS)));
    }
  }
}
