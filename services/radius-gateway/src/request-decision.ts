import { BusError, DecideResponse, type DecideRequest, type DecisionReason } from '@tollgate/contracts';
import type { Bus } from '@tollgate/bus';

/**
 * Asks the aggregator for a decision and folds every failure into a reject (fail closed):
 * a bus timeout or our own deadline is `timeout`, nobody listening is `verifier.unavailable`,
 * anything else, including a reply that breaks the contract, is `internal_error`.
 */
export interface Decision {
  decision: 'accept' | 'reject';
  reason: DecisionReason;
  upn?: string;
}

/** Slack past the bus timeout before our own timer fires, should a transport miss its deadline. */
const DEADLINE_SLACK_MS = 50;

export function reasonForError(error: unknown): DecisionReason {
  if (error instanceof BusError) {
    if (error.code === 'timeout') return 'timeout';
    if (error.code === 'no_responders' || error.code === 'closed') return 'verifier.unavailable';
  }
  return 'internal_error';
}

/** Validates a reply; only an `accept` with reason `ok` accepts. */
export function decisionFromReply(reply: unknown): Decision {
  const parsed = DecideResponse.safeParse(reply);
  if (!parsed.success) return { decision: 'reject', reason: 'internal_error' };
  const { decision, reason, upn } = parsed.data;
  if (decision === 'accept' && reason !== 'ok') return { decision: 'reject', reason: 'internal_error', upn };
  if (decision === 'reject' && reason === 'ok') return { decision: 'reject', reason: 'internal_error', upn };
  return upn === undefined ? { decision, reason } : { decision, reason, upn };
}

/** Below this much time left, a second request is not worth sending. */
const MIN_RETRY_BUDGET_MS = 150;
/** Pause before asking again when nobody listened (replicas restarting). */
const RETRY_PAUSE_MS = 50;

/**
 * Asks for the decision within `timeoutMs`. The first request gets all of it but `reserveMs`,
 * and says so in its budget: a live aggregator always answers inside its budget. If none did
 * (the replica died holding the request, or nobody listened), the request is sent once more
 * with what is left, and the bus may give it to another replica; a dead replica then costs a
 * delay instead of a wrong reject. Re-running a decision is safe: every copy carries the RADIUS
 * request's key, and the OTP step claim accepts the same request again (tokens.claimSteps).
 * `reserveMs` 0 sends one request with the whole deadline.
 */
export async function requestDecision(
  bus: Pick<Bus, 'request'>,
  decideSubject: string,
  request: DecideRequest,
  timeoutMs: number,
  reserveMs = 0,
): Promise<Decision> {
  const started = performance.now();
  const remaining = () => timeoutMs - (performance.now() - started);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BusError('timeout', 'decision deadline passed')), timeoutMs + DEADLINE_SLACK_MS);
  });
  const ask = (budgetMs: number) =>
    Promise.race([bus.request(decideSubject, { ...request, budgetMs: Math.max(1, Math.floor(budgetMs)) }, { timeoutMs: Math.max(1, budgetMs) }), deadline]);
  try {
    const first = reserveMs > 0 && timeoutMs - reserveMs >= MIN_RETRY_BUDGET_MS ? timeoutMs - reserveMs : timeoutMs;
    try {
      return decisionFromReply(await ask(first));
    } catch (error) {
      const retryable = error instanceof BusError && error.code !== 'bad_request' && error.code !== 'internal';
      if (!retryable || first === timeoutMs) throw error;
      if (error.code !== 'timeout') await new Promise((r) => setTimeout(r, RETRY_PAUSE_MS));
      if (remaining() < MIN_RETRY_BUDGET_MS) throw error;
      return decisionFromReply(await ask(remaining()));
    }
  } catch (error) {
    return { decision: 'reject', reason: reasonForError(error) };
  } finally {
    clearTimeout(timer);
  }
}
