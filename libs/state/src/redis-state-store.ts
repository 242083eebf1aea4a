import { Redis } from 'ioredis';
import type { StateStore } from './state-store.js';
import { withStateSpan } from './state-span.js';

// INCR and PEXPIRE in one round trip: the counter lives ttl after its latest increment.
const INCREMENT = `local v = redis.call('INCR', KEYS[1]) redis.call('PEXPIRE', KEYS[1], ARGV[1]) return v`;

export interface RedisStateStoreOptions {
  url: string;
  keyPrefix?: string;
}

/** StateStore on one shared ioredis connection (pipelined; no per-request set-up). */
export class RedisStateStore implements StateStore {
  readonly kind = 'redis' as const;
  readonly #redis: Redis;

  constructor(options: RedisStateStoreOptions) {
    this.#redis = new Redis(options.url, {
      keyPrefix: options.keyPrefix ?? 'tollgate:',
      lazyConnect: true,
      enableAutoPipelining: true,
      maxRetriesPerRequest: 1,
      // Fail fast rather than queue forever: callers fail closed on error.
      enableOfflineQueue: true,
      connectTimeout: 2000,
    });
    this.#redis.defineCommand('tgIncrement', { numberOfKeys: 1, lua: INCREMENT });
    // Errors surface on commands; an unhandled 'error' event would crash the process.
    this.#redis.on('error', () => {});
  }

  async connect(): Promise<void> {
    await this.#redis.connect();
  }

  setIfAbsent(key: string, value: Buffer, ttlMs: number): Promise<boolean> {
    return withStateSpan('redis', 'SET', 'setIfAbsent', async () => (await this.#redis.set(key, value, 'PX', ttlMs, 'NX')) === 'OK');
  }

  set(key: string, value: Buffer, ttlMs: number): Promise<void> {
    return withStateSpan('redis', 'SET', 'set', async () => {
      await this.#redis.set(key, value, 'PX', ttlMs);
    });
  }

  get(key: string): Promise<Buffer | null> {
    return withStateSpan('redis', 'GET', 'get', () => this.#redis.getBuffer(key));
  }

  increment(key: string, ttlMs: number): Promise<number> {
    const redis = this.#redis as Redis & { tgIncrement(key: string, ttl: number): Promise<number> };
    // One script: INCR then PEXPIRE.
    return withStateSpan('redis', 'EVALSHA', 'increment', async () => Number(await redis.tgIncrement(key, ttlMs)));
  }

  counter(key: string): Promise<number> {
    return withStateSpan('redis', 'GET', 'counter', async () => Number((await this.#redis.get(key)) ?? 0));
  }

  delete(key: string): Promise<void> {
    return withStateSpan('redis', 'DEL', 'delete', async () => {
      await this.#redis.del(key);
    });
  }

  healthy(): boolean {
    return this.#redis.status === 'ready';
  }

  async close(): Promise<void> {
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }
}
