import { createHash, randomBytes } from 'node:crypto';
import { challengeStateContext } from '@tollgate/contracts';
import type { Keyring } from '@tollgate/security';
import type { StateStore } from '@tollgate/state';
import { CHALLENGE_TOMBSTONE_MS, recordTtlMs, type ChallengeRecord, type StoredChallenge } from './challenge-state.js';

/** Octets of a State: 256 random bits, far above the 128 a guess must beat. */
export const STATE_OCTETS = 32;

/** What `take` found under a State: a record or tombstone, nothing, or a value that does not open (tampered). */
export type Taken = StoredChallenge | undefined | { kind: 'tampered' };

/**
 * Where open challenges live between the Access-Challenge and its follow-up: the shared state
 * store (Redis; memory in embedded mode), so the follow-up may reach any replica. A record is
 * kept under a digest of its State (the State itself, which a follow-up must present, is never a
 * key) and sealed with the master key bound to that digest. `take` swaps a tombstone in, so of
 * two follow-ups with one State only the first finds the record.
 */
export class ChallengeStore {
  readonly #state: Pick<StateStore, 'set' | 'swap'>;
  readonly #keyring: Keyring;

  constructor(state: Pick<StateStore, 'set' | 'swap'>, keyring: Keyring) {
    this.#state = state;
    this.#keyring = keyring;
  }

  /** Stores a new record under a fresh random State and returns the State (hex). */
  async issue(record: ChallengeRecord, nowMs: number, timeoutMs: number): Promise<string> {
    const state = randomBytes(STATE_OCTETS).toString('hex');
    await this.#put(state, record, recordTtlMs(record, nowMs), timeoutMs);
    return state;
  }

  /** Puts a record back under its State (a wrong code: the same State is asked again). */
  async putBack(state: string, record: ChallengeRecord, nowMs: number, timeoutMs: number): Promise<void> {
    await this.#put(state, record, recordTtlMs(record, nowMs), timeoutMs);
  }

  /** Takes what the State names, leaving a tombstone in its place. */
  async take(state: string, timeoutMs: number): Promise<Taken> {
    const key = storeKey(state);
    const previous = await this.#state.swap(key, this.#seal(key, { kind: 'spent' }), CHALLENGE_TOMBSTONE_MS, { timeoutMs });
    if (previous === null) return undefined;
    try {
      return JSON.parse(this.#keyring.openText(previous.toString('utf8'), challengeStateContext(key))) as StoredChallenge;
    } catch {
      return { kind: 'tampered' };
    }
  }

  async #put(state: string, value: StoredChallenge, ttlMs: number, timeoutMs: number): Promise<void> {
    const key = storeKey(state);
    await this.#state.set(key, this.#seal(key, value), ttlMs, { timeoutMs });
  }

  #seal(key: string, value: StoredChallenge): Buffer {
    return Buffer.from(this.#keyring.seal(JSON.stringify(value), challengeStateContext(key)), 'utf8');
  }
}

/** The state-store key of a State: a digest, so neither a key listing nor a log of keys gives a State away. */
export function storeKey(state: string): string {
  return `challenge:${createHash('sha256').update(state).digest('hex')}`;
}
