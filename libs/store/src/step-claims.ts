import type { Queryable } from './db.js';

/**
 * The batched replay guard. Many claims go in one UPDATE joined to arrays of (upn, step), which
 * records each step only where it is later than the token's `last_step`. The guarantee is the
 * single-row `claimStep`'s, row by row: PostgreSQL locks each row it updates and re-checks
 * `last_step < step` against the newest committed version, so concurrent claims, from this
 * process or any replica, can never both win the same step.
 *
 * A UPN must not appear twice in one statement (PostgreSQL would update the row once, for
 * either claim, and the RETURNING list could not say which), so claims are split into rounds
 * in which each UPN appears once, run one after the other: the result is what claiming one by
 * one in the given order would give. A claim that order makes a sure loser is decided without
 * a statement (see claimRounds).
 */
export interface StepClaim {
  upn: string;
  step: number;
  /**
   * The RADIUS request claiming (see DecideRequest.requestKey). The request that claimed a step
   * may claim it again within REPEAT_CLAIM_WINDOW_SECONDS of its FIRST claim: a decision re-run
   * after a crash is not a replay of itself. Any other claim of a used step still loses.
   */
  requestKey?: string;
}

/**
 * How long the request that claimed a step may claim it again: RFC 5080's retransmission window,
 * counted from the first claim. A re-claim never moves that time (`last_claimed_at` is written
 * only when the step changes), so re-sending one request every few seconds cannot keep its step
 * open; and the window is [first claim, first claim + 30 s) of the claimer's clock, so a first
 * claim stamped by a replica whose clock runs ahead opens no longer window either.
 */
export const REPEAT_CLAIM_WINDOW_SECONDS = 30;

// The rows are locked first, in UPN order (FOR UPDATE below a sort locks them as they come out),
// and only locked rows are updated: two statements sharing rows then take their locks in the
// same order and cannot deadlock, whichever join plan PostgreSQL picks.
const CLAIM_STEPS_SQL = `WITH claims AS MATERIALIZED (
    SELECT v.upn, v.step, v.request_key FROM unnest($1::text[], $2::bigint[], $3::text[]) AS v(upn, step, request_key)
  ), locked AS MATERIALIZED (
    SELECT t.upn FROM totp_tokens t WHERE t.upn = ANY($1::text[]) ORDER BY t.upn FOR UPDATE
  )
  UPDATE totp_tokens t SET last_step = c.step, last_request_key = c.request_key,
    last_claimed_at = CASE WHEN t.last_step = c.step THEN t.last_claimed_at ELSE $5::timestamptz END
  FROM claims c, locked l
  WHERE t.upn = c.upn AND l.upn = t.upn AND (t.last_step IS NULL OR t.last_step < c.step
    OR (t.last_step = c.step AND c.request_key IS NOT NULL AND t.last_request_key = c.request_key
        AND t.last_claimed_at <= $5::timestamptz AND t.last_claimed_at > $5::timestamptz - make_interval(secs => $4)))
  RETURNING t.upn`;

// PostgreSQL's deadlock_detected. Claims cannot deadlock each other (see above), but another
// transaction locking tokens (an admin import) could still meet one; the statement PostgreSQL
// aborts changed nothing, so running it again is safe.
const DEADLOCK = '40P01';
const ATTEMPTS = 3;

/**
 * Indexes of `claims` by round: round k holds every UPN's (k+1)-th claim that could still win.
 * A claim whose step is not later than an earlier claim's for the same UPN is left out: in
 * order, it loses whether that earlier claim won (its step is now used) or lost (a later step
 * was already used). So a flood of one replayed code costs one statement, not one each.
 * Each round is sorted by UPN, so its lock order is fixed.
 */
export function claimRounds(claims: readonly StepClaim[]): number[][] {
  const rounds: number[][] = [];
  const seen = new Map<string, { round: number; step: number; requestKey: string | undefined }>();
  claims.forEach((claim, index) => {
    const earlier = seen.get(claim.upn);
    // The same request claiming the same step again gets a statement of its own (it may win
    // again); anything else not later than an earlier claim loses without one.
    const repeat =
      earlier !== undefined && claim.requestKey !== undefined && claim.step === earlier.step && claim.requestKey === earlier.requestKey;
    if (earlier && claim.step <= earlier.step && !repeat) return;
    const round = earlier ? earlier.round + 1 : 0;
    seen.set(claim.upn, { round, step: claim.step, requestKey: claim.requestKey });
    const group = rounds[round] ?? [];
    rounds[round] = group;
    group.push(index);
  });
  for (const round of rounds) {
    round.sort((a, b) => {
      const x = claims[a]!.upn;
      const y = claims[b]!.upn;
      return x < y ? -1 : x > y ? 1 : 0;
    });
  }
  return rounds;
}

/**
 * One result per claim, in order: true when that claim won its step. `nowMs` is the claimer's
 * clock (the otp-verifier's, the one that chose the step), stored with a first claim and
 * compared with it on a repeat claim.
 */
export async function claimSteps(db: Queryable, claims: readonly StepClaim[], nowMs: number = Date.now()): Promise<boolean[]> {
  const at = new Date(nowMs);
  const won = new Array<boolean>(claims.length).fill(false);
  for (const round of claimRounds(claims)) {
    const upns = round.map((i) => claims[i]!.upn);
    const steps = round.map((i) => claims[i]!.step);
    const keys = round.map((i) => claims[i]!.requestKey ?? null);
    for (let attempt = 1; ; attempt++) {
      try {
        const { rows } = await db.query<{ upn: string }>(CLAIM_STEPS_SQL, [upns, steps, keys, REPEAT_CLAIM_WINDOW_SECONDS, at], {
          name: 'tollgate_claim_steps',
        });
        const winners = new Set(rows.map((r) => r.upn));
        for (const i of round) won[i] = winners.has(claims[i]!.upn);
        break;
      } catch (error) {
        if ((error as { code?: unknown }).code !== DEADLOCK || attempt >= ATTEMPTS) throw error;
      }
    }
  }
  return won;
}
