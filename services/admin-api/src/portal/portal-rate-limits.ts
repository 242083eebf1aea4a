/**
 * Failed portal sign-ins counted in the shared state store, per user and per source address: a
 * user or address over its limit gets `rate_limited` until the window after its latest failure has
 * passed. Keys hold digests, never a user name or address in clear.
 */
import { createHash } from 'node:crypto';
import type { StateStore } from '@tollgate/state';

export const PORTAL_LIMITS = {
  /** Failed sign-ins (wrong password, invalid or MFA-less Microsoft sign-in, bad link) of one user. */
  perUser: 5,
  /** Failed sign-ins from one source address. */
  perSource: 20,
  windowMs: 15 * 60_000,
} as const;

const digest = (text: string) => createHash('sha256').update(text).digest('hex');
const userKey = (upn: string) => `portal-fail:user:${digest(upn)}`;
const sourceKey = (source: string) => `portal-fail:source:${digest(source)}`;

/** Whether counts are over the limits (pure, for the table test). */
export function overLimit(counts: { user?: number | undefined; source: number }, limits = PORTAL_LIMITS): boolean {
  return counts.source >= limits.perSource || (counts.user ?? 0) >= limits.perUser;
}

export class PortalRateLimits {
  readonly #state: Pick<StateStore, 'counters' | 'increment'>;

  constructor(state: Pick<StateStore, 'counters' | 'increment'>) {
    this.#state = state;
  }

  /** True when the source (and the user, when known) may still try. */
  async allowed(source: string, upn: string | undefined, timeoutMs: number): Promise<boolean> {
    const keys = upn === undefined ? [sourceKey(source)] : [sourceKey(source), userKey(upn)];
    const [sourceCount = 0, userCount] = await this.#state.counters(keys, { timeoutMs });
    return !overLimit({ source: sourceCount, user: userCount });
  }

  /** Counts one failure against the source (and the user, when known). */
  async failed(source: string, upn: string | undefined, timeoutMs: number): Promise<void> {
    await this.#state.increment(sourceKey(source), PORTAL_LIMITS.windowMs, { timeoutMs });
    if (upn !== undefined) await this.#state.increment(userKey(upn), PORTAL_LIMITS.windowMs, { timeoutMs });
  }
}
