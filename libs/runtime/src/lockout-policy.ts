import { DEFAULT_POLICY, VerificationOrders, settings, type PolicySettings, type Queryable } from '@tollgate/store';
import type { ConfigChanged } from '@tollgate/contracts';
import { TtlCache } from './cache.js';
import { TollgateError } from '@tollgate/contracts';

/**
 * The second factor's lockout, shared by the otp-verifier (which counts wrong codes) and the
 * aggregator (which refuses a locked user before asking Entra): where the count lives, the
 * policy, and when it locks. One file, so the two can never disagree. The same `policy` setting
 * holds the password limits and the verification order the aggregator applies (its policy.ts).
 *
 * The policy is read from the `policy` setting (DEFAULT_POLICY when unset) and cached; a
 * `settings` or `all` config event drops it. A stored policy with nonsense values is an error,
 * not a silent fallback: both then fail closed until an admin fixes it.
 */

/** The wrong-code counter of a user in the shared state store (REDIS_KEY_PREFIX comes on top). */
export const otpFailureKey = (upn: string): string => `otp:fail:${upn}`;

/** The wrong-password counter of a user the aggregator keeps, and the admin API resets (REDIS_KEY_PREFIX comes on top). */
export const passwordFailureKey = (upn: string): string => `pw:fail:user:${upn}`;

/** A user with this many counted wrong codes is locked (until the counter expires). */
export function isLocked(failures: number, policy: Pick<PolicySettings, 'otpMaxFailures'>): boolean {
  return failures >= policy.otpMaxFailures;
}

export class PolicySourceError extends TollgateError<'invalid_policy'> {
  constructor(message: string) {
    super('invalid_policy', message);
  }
}

export function checkPolicy(stored: Partial<PolicySettings> | null): PolicySettings {
  const policy = { ...DEFAULT_POLICY, ...(stored ?? {}) };
  positive(policy, 'otpMaxFailures', 1);
  positive(policy, 'otpLockoutSeconds', 1);
  positive(policy, 'passwordMaxFailures', 0);
  positive(policy, 'sourceMaxFailures', 0);
  positive(policy, 'passwordFailureWindowSeconds', 1);
  positive(policy, 'challengeTtlSeconds', 1);
  if (!VerificationOrders.includes(policy.verificationOrder)) {
    throw new PolicySourceError(`policy verificationOrder must be one of ${VerificationOrders.join(', ')}`);
  }
  return {
    otpMaxFailures: policy.otpMaxFailures,
    otpLockoutSeconds: policy.otpLockoutSeconds,
    passwordMaxFailures: policy.passwordMaxFailures,
    sourceMaxFailures: policy.sourceMaxFailures,
    passwordFailureWindowSeconds: policy.passwordFailureWindowSeconds,
    verificationOrder: policy.verificationOrder,
    challengeTtlSeconds: policy.challengeTtlSeconds,
  };
}

type NumericPolicyKey = { [K in keyof PolicySettings]: PolicySettings[K] extends number ? K : never }[keyof PolicySettings];

function positive(policy: PolicySettings, key: NumericPolicyKey, least: 0 | 1): void {
  if (!Number.isInteger(policy[key]) || policy[key] < least) {
    throw new PolicySourceError(`policy ${key} must be ${least === 0 ? 'a non-negative' : 'a positive'} integer`);
  }
}

export class PolicySource {
  readonly #cache: TtlCache<'policy', PolicySettings>;
  readonly #db: Queryable;

  constructor(options: { db: Queryable; ttlMs: number }) {
    this.#db = options.db;
    this.#cache = new TtlCache({ ttlMs: options.ttlMs, maxEntries: 1 });
  }

  get(): Promise<PolicySettings> {
    return this.#cache.get('policy', async () => checkPolicy(await settings.get(this.#db, 'policy')));
  }

  invalidate(event: ConfigChanged): void {
    if (event.kind === 'settings' || event.kind === 'all') this.#cache.clear();
  }
}
