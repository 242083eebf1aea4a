import {
  BusError,
  ChallengeReasons,
  DecideResponse,
  isAcceptReason,
  type DecideRequest,
  type DecisionReason,
  type ReplyAttribute,
} from '@tollgate/contracts';
import type { Bus } from '@tollgate/bus';
import { requestWithinBudget } from '@tollgate/runtime';

/**
 * Asks the aggregator for a decision and folds every failure into a reject (fail closed):
 * a bus timeout or our own deadline is `timeout`, nobody listening is `verifier.unavailable`,
 * anything else, including a reply that breaks the contract, is `internal_error`.
 */
export interface Decision {
  decision: 'accept' | 'reject' | 'challenge';
  reason: DecisionReason;
  upn?: string;
  /** What the Access-Accept carries (as the aggregator sent it; the gateway validates each). */
  replyAttributes?: ReplyAttribute[];
  /** An Access-Challenge's State (hex) and prompt; both present on a challenge, never otherwise. */
  state?: string;
  replyMessage?: string;
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

const CHALLENGE_REASONS: ReadonlySet<string> = new Set(ChallengeReasons);

/**
 * Validates a reply; only an `accept` with an accept reason (`ok`, `ok.exempt`) accepts, and only
 * an accept keeps reply attributes. A `challenge` needs a challenge reason, a State and a prompt; a State or prompt on
 * anything else, or a reply that is neither one thing nor the other, fails closed.
 */
export function decisionFromReply(reply: unknown): Decision {
  const parsed = DecideResponse.safeParse(reply);
  if (!parsed.success) return { decision: 'reject', reason: 'internal_error' };
  const { decision, reason, upn, replyAttributes, state, replyMessage } = parsed.data;
  const withUpn = upn === undefined ? {} : { upn };
  if (decision === 'challenge') {
    if (!CHALLENGE_REASONS.has(reason) || state === undefined || replyMessage === undefined) {
      return { decision: 'reject', reason: 'internal_error', ...withUpn };
    }
    return { decision, reason, ...withUpn, state, replyMessage };
  }
  if (reason === 'challenge.issued' || state !== undefined || replyMessage !== undefined) {
    return { decision: 'reject', reason: 'internal_error', ...withUpn };
  }
  if (decision === 'accept' && !isAcceptReason(reason)) return { decision: 'reject', reason: 'internal_error', ...withUpn };
  if (decision === 'reject' && isAcceptReason(reason)) return { decision: 'reject', reason: 'internal_error', ...withUpn };
  if (decision === 'accept' && replyAttributes !== undefined && replyAttributes.length > 0) {
    return { decision, reason, ...withUpn, replyAttributes };
  }
  return { decision, reason, ...withUpn };
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
 * `reserveMs` 0 (or one that leaves less than MIN_RETRY_BUDGET_MS) sends one request with the
 * whole deadline.
 */
export async function requestDecision(
  bus: Pick<Bus, 'request'>,
  decideSubject: string,
  request: DecideRequest,
  timeoutMs: number,
  reserveMs = 0,
): Promise<Decision> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BusError('timeout', 'decision deadline passed')), timeoutMs + DEADLINE_SLACK_MS);
  });
  const ask = (budgetMs: number) =>
    Promise.race([
      bus.request(decideSubject, { ...request, budgetMs: Math.max(1, Math.floor(budgetMs)) }, { timeoutMs: Math.max(1, budgetMs) }),
      deadline,
    ]);
  const reserved = reserveMs > 0 && timeoutMs - reserveMs >= MIN_RETRY_BUDGET_MS;
  try {
    const reply = await requestWithinBudget(ask, {
      budgetMs: timeoutMs,
      attemptCapMs: reserved ? timeoutMs - reserveMs : timeoutMs,
      maxAttempts: reserved ? 2 : 1,
      minRetryMs: MIN_RETRY_BUDGET_MS,
      pauseMs: RETRY_PAUSE_MS,
    });
    return decisionFromReply(reply);
  } catch (error) {
    return { decision: 'reject', reason: reasonForError(error) };
  } finally {
    clearTimeout(timer);
  }
}
