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

export async function requestDecision(
  bus: Pick<Bus, 'request'>,
  decideSubject: string,
  request: DecideRequest,
  timeoutMs: number,
): Promise<Decision> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BusError('timeout', 'decision deadline passed')), timeoutMs + DEADLINE_SLACK_MS);
  });
  try {
    const reply = await Promise.race([bus.request(decideSubject, request, { timeoutMs }), deadline]);
    return decisionFromReply(reply);
  } catch (error) {
    return { decision: 'reject', reason: reasonForError(error) };
  } finally {
    clearTimeout(timer);
  }
}
