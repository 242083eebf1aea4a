/**
 * Short-lived shared state: the RADIUS retransmission cache and the OTP lockout counters.
 * Redis in a distributed install (shared by every replica), process memory in the embedded one.
 * Nothing here must survive a restart for correctness; used TOTP steps live in PostgreSQL.
 *
 * Every operation settles within its time: the store's own cap per command
 * (REDIS_COMMAND_TIMEOUT_MS), narrowed by `options.timeoutMs`, the caller's remaining budget.
 * A backend that is down or does not answer fails the operation with a StateError
 * (`state_unavailable` at once, `state_timeout` when the time runs out); it never waits for a
 * reconnection.
 */
export interface StateCallOptions {
  /** The caller's remaining budget for this operation, in ms. */
  timeoutMs?: number;
}

export interface StateStore {
  /** Sets `key` only if absent; true when this call set it. */
  setIfAbsent(key: string, value: Buffer, ttlMs: number, options?: StateCallOptions): Promise<boolean>;
  set(key: string, value: Buffer, ttlMs: number, options?: StateCallOptions): Promise<void>;
  /**
   * Sets `key` and returns what it held before (null when absent), in one atomic step: of two
   * callers racing on one key, only one sees the old value (single-use records).
   */
  swap(key: string, value: Buffer, ttlMs: number, options?: StateCallOptions): Promise<Buffer | null>;
  get(key: string, options?: StateCallOptions): Promise<Buffer | null>;
  /**
   * Increments a counter and (re)starts its TTL, so it lives `ttlMs` after the latest increment
   * (a lockout lasts its full time after the last failure); returns the new value.
   */
  increment(key: string, ttlMs: number, options?: StateCallOptions): Promise<number>;
  /** Reads a counter (0 when absent). */
  counter(key: string, options?: StateCallOptions): Promise<number>;
  /** Reads several counters in one command (MGET), in the order of `keys`; fails as a whole. */
  counters(keys: readonly string[], options?: StateCallOptions): Promise<number[]>;
  delete(key: string, options?: StateCallOptions): Promise<void>;
  /** One round trip to the backend (readiness probes); rejects like any other operation. */
  ping(options?: StateCallOptions): Promise<void>;
  /** True while the backend is connected. */
  healthy(): boolean;
  close(): Promise<void>;
  readonly kind: 'redis' | 'memory';
}
