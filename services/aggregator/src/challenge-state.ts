/**
 * Pure core of the challenge dialogue (otpMode `challenge` / `auto`): what a stored challenge
 * record becomes when a follow-up Access-Request with its State arrives. No I/O: the caller takes
 * the record atomically from the state store, asks this function, and writes back what it says.
 *
 * The record never holds the password or the code, only the fact that the password was proven.
 */
import type { FallbackChannel, FallbackSendOutcome } from '@tollgate/contracts';

/** Wrong codes allowed per challenge: the third wrong code rejects and spends the state. */
export const CHALLENGE_MAX_ATTEMPTS = 3;

/** How long a spent challenge is remembered, so a replay is told apart from an unknown State. */
export const CHALLENGE_TOMBSTONE_MS = 60_000;

/** How long past its expiry a record is kept, so a late follow-up is `challenge.expired`. */
export const CHALLENGE_EXPIRED_GRACE_MS = 60_000;

export interface ChallengeRecord {
  kind: 'open';
  clientId: string;
  username: string;
  upn: string;
  sourceAddress: string;
  attempts: number;
  /** Epoch milliseconds. */
  expiresAt: number;
  passwordProven: true;
  /**
   * A one-time code was sent this way for this challenge (client with fallbackCodes): the next
   * follow-up is checked as that code, not as a TOTP code.
   */
  fallback?: FallbackChannel;
}

export interface ChallengeTombstone {
  kind: 'spent';
}

export type StoredChallenge = ChallengeRecord | ChallengeTombstone;

export interface ChallengeBinding {
  clientId: string;
  username: string;
  sourceAddress: string;
}

export function issueChallenge(binding: ChallengeBinding, upn: string, nowMs: number, ttlSeconds: number): ChallengeRecord {
  return {
    kind: 'open',
    clientId: binding.clientId,
    username: binding.username,
    upn,
    sourceAddress: binding.sourceAddress,
    attempts: 0,
    expiresAt: nowMs + ttlSeconds * 1000,
    passwordProven: true,
  };
}

/** What the follow-up may do before the code is checked. */
export type FollowUpCheck =
  | { outcome: 'proceed'; record: ChallengeRecord }
  | { outcome: 'reject'; reason: 'challenge.unknown' | 'challenge.expired' | 'challenge.replayed' | 'challenge.foreign' };

/**
 * Checks a taken record against the follow-up. `taken` is what the atomic swap returned (the
 * store now holds a tombstone in its place). A foreign follow-up does not learn anything and
 * spends the state: a State seen from the wrong place is treated as stolen.
 */
export function checkFollowUp(taken: StoredChallenge | undefined, binding: ChallengeBinding, nowMs: number): FollowUpCheck {
  if (taken === undefined) return { outcome: 'reject', reason: 'challenge.unknown' };
  if (taken.kind === 'spent') return { outcome: 'reject', reason: 'challenge.replayed' };
  if (taken.clientId !== binding.clientId || taken.username !== binding.username || taken.sourceAddress !== binding.sourceAddress) {
    return { outcome: 'reject', reason: 'challenge.foreign' };
  }
  if (nowMs >= taken.expiresAt) return { outcome: 'reject', reason: 'challenge.expired' };
  if (taken.attempts >= CHALLENGE_MAX_ATTEMPTS) return { outcome: 'reject', reason: 'challenge.replayed' };
  return { outcome: 'proceed', record: taken };
}

/** After the OTP verifier answered: accept, re-challenge with the same State, or reject. */
export type CodeOutcome = { outcome: 'accept' } | { outcome: 'rechallenge'; record: ChallengeRecord } | { outcome: 'reject' };

export function afterCode(record: ChallengeRecord, codeValid: boolean): CodeOutcome {
  if (codeValid) return { outcome: 'accept' };
  const attempts = record.attempts + 1;
  if (attempts >= CHALLENGE_MAX_ATTEMPTS) return { outcome: 'reject' };
  return { outcome: 'rechallenge', record: { ...record, attempts } };
}

/** Milliseconds a record is kept in the store: its life plus the grace for telling expiry apart. */
export function recordTtlMs(record: ChallengeRecord, nowMs: number): number {
  return Math.max(1, record.expiresAt - nowMs + CHALLENGE_EXPIRED_GRACE_MS);
}

/**
 * The typed value asks for a fallback code: exactly `email` or `sms`, any case, on a client with
 * fallbackCodes. Anything else (or any value on another client) is a code attempt.
 */
export function fallbackRequested(typed: string, clientAllows: boolean): FallbackChannel | undefined {
  if (!clientAllows) return undefined;
  const word = typed.toLowerCase();
  return word === 'email' || word === 'sms' ? word : undefined;
}

/** What the NAS shows after a fallback code was asked for. */
export const FALLBACK_PROMPTS: Record<
  FallbackChannel | `no_address_${FallbackChannel}` | Exclude<FallbackSendOutcome, 'sent' | 'no_address'> | 'unavailable',
  string
> = {
  email: 'Enter the code we sent by email',
  sms: 'Enter the code we sent by text message',
  no_address_email: 'No email address on file, enter the code from your authenticator app',
  no_address_sms: 'No phone number on file, enter the code from your authenticator app',
  rate_limited: 'Too many codes sent, try later or enter the code from your authenticator app',
  disabled: 'Codes by that channel are not available, enter the code from your authenticator app',
  failed: 'The code could not be sent, try again later or enter the code from your authenticator app',
  unavailable: 'The code could not be sent, try again later or enter the code from your authenticator app',
};

export type FallbackSendStep = {
  record: ChallengeRecord;
  reason: 'challenge.fallback_sent' | 'challenge.fallback_unavailable';
  prompt: string;
};

/**
 * After a fallback code was asked for: the same State is asked again either way, without
 * spending an attempt. A sent code marks the record with its channel and keeps it alive as long
 * as the code (never shorter than it was); otherwise the record is unchanged (a code sent before
 * still counts) and the prompt says why nothing came. `email` and `sms` are never a wrong code.
 */
export function afterFallbackSend(
  record: ChallengeRecord,
  channel: FallbackChannel,
  sent: { outcome: FallbackSendOutcome; ttlSeconds?: number | undefined } | { unavailable: true },
  nowMs: number,
): FallbackSendStep {
  if ('unavailable' in sent) return { record, reason: 'challenge.fallback_unavailable', prompt: FALLBACK_PROMPTS.unavailable };
  if (sent.outcome !== 'sent') {
    const prompt = sent.outcome === 'no_address' ? FALLBACK_PROMPTS[`no_address_${channel}`] : FALLBACK_PROMPTS[sent.outcome];
    return { record, reason: 'challenge.fallback_unavailable', prompt };
  }
  const expiresAt = Math.max(record.expiresAt, nowMs + (sent.ttlSeconds ?? 0) * 1000);
  return { record: { ...record, fallback: channel, expiresAt }, reason: 'challenge.fallback_sent', prompt: FALLBACK_PROMPTS[channel] };
}
