import { Redis } from 'ioredis';
import type { StateCallOptions, StateStore } from './state-store.js';
import { withStateSpan } from './state-span.js';
import { StateError } from './state-error.js';
import { commandTimeout, withinTime } from './within-time.js';

// INCR and PEXPIRE in one round trip: the counter lives ttl after its latest increment.
const INCREMENT = `local v = redis.call('INCR', KEYS[1]) redis.call('PEXPIRE', KEYS[1], ARGV[1]) return v`;

/** Default longest wait for one command (REDIS_COMMAND_TIMEOUT_MS). */
export const DEFAULT_REDIS_COMMAND_TIMEOUT_MS = 250;

export interface RedisStateStoreOptions {
  url: string;
  keyPrefix?: string;
  /** Longest one command may wait for its answer; callers may narrow it per call. */
  commandTimeoutMs?: number;
}

/**
 * Reconnection delay after the n-th failed attempt: quick at first, at most a second, so the
 * store is back within about a second of Redis returning.
 */
export function reconnectDelay(attempt: number): number {
  return Math.min(50 * 2 ** Math.min(attempt - 1, 5), 1000);
}

/**
 * StateStore on one shared ioredis connection (pipelined; no per-request set-up).
 *
 * An outage fails fast instead of queueing: with no connection a command is refused at once
 * (no offline queue), commands in flight when the connection drops fail rather than being
 * retried or re-sent later (a re-sent INCR would count a wrong code twice), and a connection
 * that stops answering (Redis stalled, a black-holed network) is dropped once nothing has come
 * back for a few command timeouts, so the client reconnects instead of waiting on it forever.
 */
export class RedisStateStore implements StateStore {
  readonly kind = 'redis' as const;
  readonly #redis: Redis;
  readonly #capMs: number;

  constructor(options: RedisStateStoreOptions) {
    this.#capMs = options.commandTimeoutMs ?? DEFAULT_REDIS_COMMAND_TIMEOUT_MS;
    this.#redis = new Redis(options.url, {
      keyPrefix: options.keyPrefix ?? 'tollgate:',
      lazyConnect: true,
      enableAutoPipelining: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      connectTimeout: 2000,
      socketTimeout: Math.max(1000, 4 * this.#capMs),
      retryStrategy: reconnectDelay,
      keepAlive: 10_000,
    });
    this.#redis.defineCommand('tgIncrement', { numberOfKeys: 1, lua: INCREMENT });
    // Errors surface on commands; an unhandled 'error' event would crash the process.
    this.#redis.on('error', () => {});
  }

  async connect(): Promise<void> {
    await this.#redis.connect();
  }

  /** Runs one command within its time, its failures as StateErrors. */
  #run<T>(command: string, op: string, options: StateCallOptions | undefined, send: () => Promise<T>): Promise<T> {
    // A promise chain rather than an async wrapper: this runs for every command.
    return withStateSpan('redis', command, op, () => {
      if (this.#redis.status !== 'ready')
        return Promise.reject(new StateError('state_unavailable', `state ${op}: redis is not connected (${this.#redis.status})`));
      return withinTime(send(), commandTimeout(this.#capMs, options?.timeoutMs), op).catch((error: unknown) => {
        if (error instanceof StateError) throw error;
        throw new StateError('state_unavailable', `state ${op}: redis command failed`, { cause: error });
      });
    });
  }

  setIfAbsent(key: string, value: Buffer, ttlMs: number, options?: StateCallOptions): Promise<boolean> {
    return this.#run('SET', 'setIfAbsent', options, async () => (await this.#redis.set(key, value, 'PX', ttlMs, 'NX')) === 'OK');
  }

  set(key: string, value: Buffer, ttlMs: number, options?: StateCallOptions): Promise<void> {
    return this.#run('SET', 'set', options, async () => {
      await this.#redis.set(key, value, 'PX', ttlMs);
    });
  }

  swap(key: string, value: Buffer, ttlMs: number, options?: StateCallOptions): Promise<Buffer | null> {
    // SET ... GET (Redis >= 6.2): set and read the old value in one command.
    return this.#run('SET', 'swap', options, async () => {
      const old = await this.#redis.setBuffer(key, value, 'PX', ttlMs, 'GET');
      return Buffer.isBuffer(old) ? old : null;
    });
  }

  get(key: string, options?: StateCallOptions): Promise<Buffer | null> {
    return this.#run('GET', 'get', options, () => this.#redis.getBuffer(key));
  }

  increment(key: string, ttlMs: number, options?: StateCallOptions): Promise<number> {
    const redis = this.#redis as Redis & { tgIncrement(key: string, ttl: number): Promise<number> };
    // One script: INCR then PEXPIRE.
    return this.#run('EVALSHA', 'increment', options, async () => Number(await redis.tgIncrement(key, ttlMs)));
  }

  counter(key: string, options?: StateCallOptions): Promise<number> {
    return this.#run('GET', 'counter', options, async () => Number((await this.#redis.get(key)) ?? 0));
  }

  counters(keys: readonly string[], options?: StateCallOptions): Promise<number[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return this.#run('MGET', 'counters', options, async () => (await this.#redis.mget(...keys)).map((v) => Number(v ?? 0)));
  }

  delete(key: string, options?: StateCallOptions): Promise<void> {
    return this.#run('DEL', 'delete', options, async () => {
      await this.#redis.del(key);
    });
  }

  ping(options?: StateCallOptions): Promise<void> {
    return this.#run('PING', 'ping', options, async () => {
      await this.#redis.ping();
    });
  }

  healthy(): boolean {
    return this.#redis.status === 'ready';
  }

  async close(): Promise<void> {
    await withinTime(this.#redis.quit(), this.#capMs, 'quit').catch(() => this.#redis.disconnect());
  }
}
