import { Batcher, TtlCache } from '@tollgate/runtime';
import { isValueError, tokens, type Queryable, type TokenLookupRecord } from '@tollgate/store';
import type { Keyring } from '@tollgate/security';
import { parseBase32Seed, type TotpAlgorithm, type TotpDigits, type TotpPeriod } from '@tollgate/totp';
import { totpSeedContext, type ConfigChanged } from '@tollgate/contracts';

/**
 * What the verifier needs to know about a user, read from PostgreSQL and cached in process
 * memory (never in Redis, never logged): the seed is opened from its AES-GCM seal once per
 * cache lifetime. "No such user" and "no token" are cached too, so a flood of requests for
 * unknown names does not become a flood of queries. A `users` config event for the UPN (or
 * `all`) drops the entry; the TTL bounds staleness if an event is missed. Cache misses arriving
 * together (everyone logging in at 9:00) are read in one query.
 */
export type TokenLookup =
  | { status: 'unknown_user' }
  | { status: 'user_disabled' }
  | { status: 'not_enrolled' }
  | { status: 'enrolled'; seed: Uint8Array; digits: TotpDigits; period: TotpPeriod; algorithm: TotpAlgorithm };

export interface TokenDirectoryOptions {
  db: Queryable;
  keyring: Pick<Keyring, 'open'>;
  ttlMs: number;
  maxEntries?: number;
  /** Told whether each lookup was answered from the cache. */
  onCacheRequest?: (result: 'hit' | 'miss') => void;
}

export class TokenDirectory {
  readonly #cache: TtlCache<string, TokenLookup>;
  readonly #options: TokenDirectoryOptions;
  readonly #reads: Batcher<string, TokenLookupRecord | undefined>;

  constructor(options: TokenDirectoryOptions) {
    this.#options = options;
    this.#cache = new TtlCache({ ttlMs: options.ttlMs, ...(options.maxEntries ? { maxEntries: options.maxEntries } : {}) });
    this.#reads = new Batcher({
      name: 'token_lookup',
      // A name the database refuses fails alone; an outage fails the batch once.
      splitOn: isValueError,
      run: async (upns) => {
        const found = await tokens.getMany(options.db, upns);
        return upns.map((upn) => found.get(upn));
      },
    });
  }

  lookup(upn: string): Promise<TokenLookup> {
    // TtlCache counts the hit or miss synchronously, before its first await.
    const missesBefore = this.#cache.misses;
    const pending = this.#cache.get(upn, (key) => this.#load(key));
    this.#options.onCacheRequest?.(this.#cache.misses > missesBefore ? 'miss' : 'hit');
    return pending;
  }

  /** Drops what a config event makes stale. */
  invalidate(event: ConfigChanged): void {
    if (event.kind === 'all' || (event.kind === 'users' && !event.key)) this.#cache.clear();
    else if (event.kind === 'users' && event.key) this.#cache.delete(event.key.trim().toLowerCase());
  }

  clear(): void {
    this.#cache.clear();
  }

  async #load(upn: string): Promise<TokenLookup> {
    const record = await this.#reads.load(upn);
    if (!record) return { status: 'unknown_user' };
    if (!record.userEnabled) return { status: 'user_disabled' };
    const token = record.token;
    if (!token) return { status: 'not_enrolled' };
    // The sealed plaintext is the Base32 seed text (see the store schema); its context binds it to this user.
    const plaintext = this.#options.keyring.open(token.secretSealed, totpSeedContext(upn));
    try {
      const { bytes } = parseBase32Seed(plaintext.toString('utf8'));
      return { status: 'enrolled', seed: bytes, digits: token.digits, period: token.period, algorithm: token.algorithm };
    } finally {
      plaintext.fill(0);
    }
  }
}
