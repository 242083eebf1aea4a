import { TtlCache } from '@tollgate/runtime';
import { DEFAULT_POLICY, settings, type PolicySettings, type Queryable } from '@tollgate/store';
import type { ConfigChanged } from '@tollgate/contracts';

/**
 * The lockout policy, read from the `policy` setting (DEFAULT_POLICY when unset) and cached;
 * a `settings` or `all` config event drops it. A stored policy with nonsense values is an
 * error, not a silent fallback: the verifier then fails closed until an admin fixes it.
 */
export class PolicySourceError extends Error {
  readonly code = 'invalid_policy' as const;
  constructor(message: string) {
    super(message);
    this.name = 'PolicySourceError';
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
