import { tokens, users, type Db } from '@tollgate/store';
import { TtlCache } from '@tollgate/runtime';

/** What the aggregator must know of a user before asking the verifiers. */
export type UserProfile =
  | { status: 'unknown' }
  | { status: 'disabled' }
  | { status: 'not_enrolled' }
  | { status: 'enrolled'; digits: 6 | 8 };

/** Cached per UPN; the admin API's `users` events drop entries. */
export class UserProfiles {
  readonly #db: Db;
  readonly cache: TtlCache<string, UserProfile>;

  constructor(db: Db, ttlMs: number) {
    this.#db = db;
    this.cache = new TtlCache({ ttlMs, maxEntries: 200_000 });
  }

  get(upn: string): Promise<UserProfile> {
    return this.cache.get(upn, (key) => this.#load(key));
  }

  async #load(upn: string): Promise<UserProfile> {
    const token = await tokens.get(this.#db, upn);
    if (token) return token.userEnabled ? { status: 'enrolled', digits: token.digits } : { status: 'disabled' };
    const user = await users.get(this.#db, upn);
    if (!user) return { status: 'unknown' };
    return user.enabled ? { status: 'not_enrolled' } : { status: 'disabled' };
  }
}
