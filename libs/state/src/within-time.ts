import { StateError } from './state-error.js';

/**
 * Settles with `work`, or rejects with `state_timeout` once `timeoutMs` has passed. The work is
 * not cancelled (a Redis reply may still come and is then ignored), so its later rejection is
 * handled here rather than left unhandled. One promise and one timer per call (this runs for
 * every state-store command).
 */
export function withinTime<T>(work: Promise<T>, timeoutMs: number, op: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new StateError('state_timeout', `state ${op}: no answer within ${timeoutMs} ms`)), timeoutMs);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** The time one command may take: the store's cap, narrowed by the caller's remaining budget. */
export function commandTimeout(capMs: number, budgetMs: number | undefined): number {
  if (budgetMs === undefined || !Number.isFinite(budgetMs)) return capMs;
  return Math.max(1, Math.min(capMs, Math.floor(budgetMs)));
}
