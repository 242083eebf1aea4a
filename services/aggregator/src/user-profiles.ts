import { isValueError, users, type Db, type UserProfileRecord } from '@tollgate/store';
import { Batcher, TtlCache } from '@tollgate/runtime';

/**
 * What the aggregator must know of a user before asking the verifiers. The states are named as
 * the otp-verifier names them on the bus (OtpOutcome): one word for one fact of the users table.
 */
export type UserProfile =
  | { status: 'unknown_user' }
  | { status: 'user_disabled' }
  | { status: 'not_enrolled' }
  | { status: 'enrolled'; digits: 6 | 8 };

/**
 * Cached per UPN; the admin API's `users` events drop entries. Cache misses arriving together
 * (everyone logging in at 9:00) are read in one query, which never selects a seed.
 */
export class UserProfiles {
  readonly cache: TtlCache<string, UserProfile>;
  readonly #reads: Batcher<string, UserProfileRecord | undefined>;

  constructor(db: Db, ttlMs: number, maxEntries = 20_000) {
    this.cache = new TtlCache({ ttlMs, maxEntries });
    this.#reads = new Batcher({
      name: 'profile_lookup',
      // A name the database refuses fails alone; an outage fails the batch once.
      splitOn: isValueError,
      run: async (upns) => {
        const found = await users.profiles(db, upns);
        return upns.map((upn) => found.get(upn));
      },
    });
  }

  get(upn: string): Promise<UserProfile> {
    return this.cache.get(upn, (key) => this.#load(key));
  }

  async #load(upn: string): Promise<UserProfile> {
    return toProfile(await this.#reads.load(upn));
  }
}

/** A disabled user is `user_disabled` whether enrolled or not. */
export function toProfile(record: UserProfileRecord | undefined): UserProfile {
  if (!record) return { status: 'unknown_user' };
  if (!record.enabled) return { status: 'user_disabled' };
  return record.digits === null ? { status: 'not_enrolled' } : { status: 'enrolled', digits: record.digits };
}
