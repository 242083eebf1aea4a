import { StateError } from './state-error.js';

/**
 * Settles with `work`, or rejects with `state_timeout` once `timeoutMs` has passed. The work is
 * not cancelled (a Redis reply may still come and is then ignored), so its later rejection is
 * swallowed here rather than left unhandled.
 */
export function withinTime<T>(work: Promise<T>, timeoutMs: number, op: string): Promise<T> {
  work.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StateError('state_timeout', `state ${op}: no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** The time one command may take: the store's cap, narrowed by the caller's remaining budget. */
export function commandTimeout(capMs: number, budgetMs: number | undefined): number {
  if (budgetMs === undefined || !Number.isFinite(budgetMs)) return capMs;
  return Math.max(1, Math.min(capMs, Math.floor(budgetMs)));
}
