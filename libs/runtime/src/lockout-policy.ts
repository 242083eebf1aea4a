import { DEFAULT_POLICY, settings, type PolicySettings, type Queryable } from '@tollgate/store';
import type { ConfigChanged } from '@tollgate/contracts';
import { TtlCache } from './cache.js';
import { TollgateError } from '@tollgate/contracts';

/**
 * The second factor's lockout, shared by the otp-verifier (which counts wrong codes) and the
 * aggregator (which refuses a locked user before asking Entra): where the count lives, the
 * policy, and when it locks. One file, so the two can never disagree.
 *
 * The policy is read from the `policy` setting (DEFAULT_POLICY when unset) and cached; a
 * `settings` or `all` config event drops it. A stored policy with nonsense values is an error,
 * not a silent fallback: both then fail closed until an admin fixes it.
 */

/** The wrong-code counter of a user in the shared state store (REDIS_KEY_PREFIX comes on top). */
export const otpFailureKey = (upn: string): string => `otp:fail:${upn}`;

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
  if (!Number.isInteger(policy.otpMaxFailures) || policy.otpMaxFailures < 1) {
    throw new PolicySourceError('policy otpMaxFailures must be a positive integer');
  }
  if (!Number.isInteger(policy.otpLockoutSeconds) || policy.otpLockoutSeconds < 1) {
    throw new PolicySourceError('policy otpLockoutSeconds must be a positive integer');
  }
  return { otpMaxFailures: policy.otpMaxFailures, otpLockoutSeconds: policy.otpLockoutSeconds };
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
