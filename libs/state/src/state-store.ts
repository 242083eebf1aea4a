/**
 * Short-lived shared state: the RADIUS retransmission cache and the OTP lockout counters.
 * Redis in a distributed install (shared by every replica), process memory in the embedded one.
 * Nothing here must survive a restart for correctness; used TOTP steps live in PostgreSQL.
 */
export interface StateStore {
  /** Sets `key` only if absent; true when this call set it. */
  setIfAbsent(key: string, value: Buffer, ttlMs: number): Promise<boolean>;
  set(key: string, value: Buffer, ttlMs: number): Promise<void>;
  get(key: string): Promise<Buffer | null>;
  /**
   * Increments a counter and (re)starts its TTL, so it lives `ttlMs` after the latest increment
   * (a lockout lasts its full time after the last failure); returns the new value.
   */
  increment(key: string, ttlMs: number): Promise<number>;
  /** Reads a counter (0 when absent). */
  counter(key: string): Promise<number>;
  delete(key: string): Promise<void>;
  /** True while the backend answers. */
  healthy(): boolean;
  close(): Promise<void>;
  readonly kind: 'redis' | 'memory';
}
