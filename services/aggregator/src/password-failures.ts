import type { DecideRequest } from '@tollgate/contracts';
import { passwordFailureKey } from '@tollgate/runtime';
import type { StateStore } from '@tollgate/state';
import type { PasswordFailures } from './policy.js';

/**
 * The wrong-password counters behind `policy.rate_limited`, in the shared state store (Redis, so
 * every aggregator replica sees the same counts; memory in embedded mode). Only the aggregator
 * keeps them: it counts an Entra `invalid_credentials` answer, and reads both counters beside the
 * profile before Entra is asked (policy.ts decides). Each counter lives the window after its
 * latest increment, as the OTP lockout's does.
 */

/** The wrong-password counter of a user (REDIS_KEY_PREFIX comes on top); the admin API resets it too. */
export { passwordFailureKey };

/**
 * The counter of where the attempts come from: the Calling-Station-Id when the NAS sends one (a
 * VPN puts the client's public address there), else the NAS's own address, which all its users share.
 */
export function sourceFailureKey(request: Pick<DecideRequest, 'callingStationId' | 'sourceAddress' | 'client'>): string {
  const station = request.callingStationId?.trim();
  if (station) return `pw:fail:station:${station}`;
  return `pw:fail:nas:${request.sourceAddress || request.client.address}`;
}

export interface PasswordFailureKeys {
  user: string;
  source: string;
}

export function passwordFailureKeys(
  upn: string,
  request: Pick<DecideRequest, 'callingStationId' | 'sourceAddress' | 'client'>,
): PasswordFailureKeys {
  return { user: passwordFailureKey(upn), source: sourceFailureKey(request) };
}

/** Both counts, read in one command within `timeoutMs`; rejects like the store does (the caller fails closed). */
export async function readPasswordFailures(state: StateStore, keys: PasswordFailureKeys, timeoutMs: number): Promise<PasswordFailures> {
  const [user = 0, source = 0] = await state.counters([keys.user, keys.source], { timeoutMs });
  return { user, source };
}

/** Counts one wrong Entra password for the user and the source; returns the new counts. */
export async function recordPasswordFailure(
  state: StateStore,
  keys: PasswordFailureKeys,
  windowSeconds: number,
  timeoutMs: number,
): Promise<PasswordFailures> {
  const ttlMs = windowSeconds * 1000;
  const [user, source] = await Promise.all([
    state.increment(keys.user, ttlMs, { timeoutMs }),
    state.increment(keys.source, ttlMs, { timeoutMs }),
  ]);
  return { user, source };
}

/**
 * A proven password clears the user's count (as a good sign-in clears Entra's); the source's is
 * kept, since one user signing in says nothing of the others behind the same address.
 */
export async function clearUserFailures(state: StateStore, keys: PasswordFailureKeys, timeoutMs: number): Promise<void> {
  await state.delete(keys.user, { timeoutMs });
}
