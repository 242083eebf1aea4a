import { randomBytes } from 'node:crypto';
import type { StateStore } from '@tollgate/state';

/**
 * Duplicate detection (RFC 5080 sec. 2.2.2) in the shared StateStore, so every replica behind a
 * UDP load balancer sees the same answer. A request first claims its key with a short-lived
 * "pending" marker (setIfAbsent, atomic in Redis); its final response then replaces the marker
 * for the retransmission window. A retransmission is never a new attempt: it gets the cached
 * bytes, or silence while the first copy is still being decided.
 *
 * Both calls take the time the request has left (its decision deadline), so a store that does
 * not answer costs at most that time, never the NAS's answer.
 */
export interface RequestIdentity {
  /** Source address as the socket reported it (normalised by the caller). */
  address: string;
  port: number;
  identifier: number;
  authenticator: Buffer;
}

export type BeginResult =
  | { state: 'new' }
  | { state: 'in_flight' }
  | { state: 'answered'; response: Buffer }
  /** The store failed: process the request anyway (and do not cache). */
  | { state: 'unavailable'; error: unknown };

const PENDING = 0x00;
const ANSWERED = 0x01;

export function retransmitKey(identity: RequestIdentity): string {
  return `radius:rtx:${identity.address}:${identity.port}:${identity.identifier}:${identity.authenticator.toString('hex')}`;
}

export interface RetransmitCacheOptions {
  /** How long a response is kept for retransmissions. */
  windowMs: number;
  /** How long a pending marker lives if its owner dies before answering. */
  pendingTtlMs: number;
}

export class RetransmitCache {
  /**
   * Mixed into the request key (see packet-handler.ts requestKeyOf). The replay guard lets a
   * request key re-claim its code's step, which is safe only while a copy of the request cannot
   * be decided again without this cache seeing it: true of a shared store (Redis), which outlives
   * any one process, but not of process memory, which a restart empties. So a memory-backed
   * cache names its requests for this process only: after a restart (the embedded install), a
   * replayed datagram gets a new key and its code is refused as used.
   */
  readonly keyScope: string;
  readonly #store: StateStore;
  readonly #options: RetransmitCacheOptions;

  constructor(store: StateStore, options: RetransmitCacheOptions) {
    this.#store = store;
    this.#options = options;
    this.keyScope = store.kind === 'memory' ? randomBytes(16).toString('hex') : '';
  }

  /** Claims `key` within `timeoutMs` (both store calls together). */
  async begin(key: string, timeoutMs: number): Promise<BeginResult> {
    const started = performance.now();
    try {
      if (await this.#store.setIfAbsent(key, Buffer.from([PENDING]), this.#options.pendingTtlMs, { timeoutMs })) return { state: 'new' };
      const held = await this.#store.get(key, { timeoutMs: timeoutMs - (performance.now() - started) });
      if (held && held.length > 1 && held[0] === ANSWERED) return { state: 'answered', response: Buffer.from(held.subarray(1)) };
      // Pending, or expired between the two calls: either way the first copy owns the attempt.
      return { state: 'in_flight' };
    } catch (error) {
      return { state: 'unavailable', error };
    }
  }

  /**
   * Removes the pending marker of a request that gets no answer, so that it does not hold the key
   * (and silence every retransmission) until it expires. Never throws: the marker expires anyway.
   */
  async release(key: string, timeoutMs: number): Promise<void> {
    await this.#store.delete(key, { timeoutMs }).catch(() => undefined);
  }

  /** Stores the response for the window within `timeoutMs`; throws when the store fails. */
  async complete(key: string, response: Buffer, timeoutMs: number): Promise<void> {
    await this.#store.set(key, Buffer.concat([Buffer.from([ANSWERED]), response]), this.#options.windowMs, { timeoutMs });
  }
}
