import type { GroupPolicy, NamedGroupPolicy } from '@tollgate/contracts';
import { groups, isValueError, type Db } from '@tollgate/store';
import { Batcher, TtlCache } from '@tollgate/runtime';
import { combineGroupPolicies } from './group-policy.js';

/**
 * Each user's combined group policy (group-policy.ts), cached per UPN beside the profile; the
 * admin API's `groups` events drop every entry, `users` events the user's. Cache misses arriving
 * together are read in one query of the groups tables only.
 */
export class GroupPolicies {
  readonly cache: TtlCache<string, GroupPolicy>;
  readonly #reads: Batcher<string, NamedGroupPolicy[]>;

  constructor(db: Db, ttlMs: number, maxEntries = 20_000) {
    this.cache = new TtlCache({ ttlMs, maxEntries });
    this.#reads = new Batcher({
      name: 'group_policy_lookup',
      splitOn: isValueError,
      run: async (upns) => {
        const found = await groups.policiesOf(db, upns);
        return upns.map((upn) => found.get(upn) ?? []);
      },
    });
  }

  get(upn: string): Promise<GroupPolicy> {
    return this.cache.get(upn, async (key) => combineGroupPolicies(await this.#reads.load(key)));
  }
}
