/**
 * Portal sessions in the shared state store (Redis; memory in the embedded install), so any
 * admin-api replica can answer the next step. The record is kept under a digest of the session
 * reference (the reference itself, which the portal holds in a cookie, is never a key) and sealed
 * with the master key bound to that key, as the aggregator keeps open challenges.
 */
import { createHash, randomBytes } from 'node:crypto';
import { portalSessionContext } from '@tollgate/contracts';
import type { Keyring } from '@tollgate/security';
import type { StateStore } from '@tollgate/state';

/** How long a session lives from sign-in; steps do not extend it. */
export const PORTAL_SESSION_TTL_MS = 15 * 60_000;

export interface PortalSession {
  upn: string;
  method: 'oidc' | 'link';
  /** The link signed in with (spent when the token is activated). */
  linkId?: string | undefined;
  /** The seed was answered once; never again in this session. */
  seedShown: boolean;
  /** Wrong first codes so far. */
  failedCodes: number;
  expiresAtMs: number;
}

export interface OpenSession {
  ref: string;
  key: string;
  record: PortalSession;
}

/** The state-store key of a session reference: a digest, so a key listing gives no reference away. */
export function sessionKey(ref: string): string {
  return `portal-session:${createHash('sha256').update(ref).digest('hex')}`;
}

export class PortalSessions {
  readonly #state: Pick<StateStore, 'set' | 'get' | 'delete'>;
  readonly #keyring: Keyring;

  constructor(state: Pick<StateStore, 'set' | 'get' | 'delete'>, keyring: Keyring) {
    this.#state = state;
    this.#keyring = keyring;
  }

  async open(
    record: Omit<PortalSession, 'expiresAtMs' | 'seedShown' | 'failedCodes'>,
    nowMs: number,
    timeoutMs: number,
  ): Promise<OpenSession> {
    const ref = randomBytes(32).toString('base64url');
    const full: PortalSession = { ...record, seedShown: false, failedCodes: 0, expiresAtMs: nowMs + PORTAL_SESSION_TTL_MS };
    const key = sessionKey(ref);
    await this.#put(key, full, nowMs, timeoutMs);
    return { ref, key, record: full };
  }

  /** The session, or null when it is gone, expired or does not open (tampered, another key). */
  async get(ref: string, nowMs: number, timeoutMs: number): Promise<OpenSession | null> {
    const key = sessionKey(ref);
    const value = await this.#state.get(key, { timeoutMs });
    if (value === null) return null;
    let record: PortalSession;
    try {
      record = JSON.parse(this.#keyring.openText(value.toString('utf8'), portalSessionContext(key))) as PortalSession;
    } catch {
      return null;
    }
    if (record.expiresAtMs <= nowMs) return null;
    return { ref, key, record };
  }

  /** Writes the record back, keeping its end. */
  async update(session: OpenSession, nowMs: number, timeoutMs: number): Promise<void> {
    await this.#put(session.key, session.record, nowMs, timeoutMs);
  }

  async end(key: string, timeoutMs: number): Promise<void> {
    await this.#state.delete(key, { timeoutMs });
  }

  async #put(key: string, record: PortalSession, nowMs: number, timeoutMs: number): Promise<void> {
    const sealed = Buffer.from(this.#keyring.seal(JSON.stringify(record), portalSessionContext(key)), 'utf8');
    await this.#state.set(key, sealed, Math.max(1, record.expiresAtMs - nowMs), { timeoutMs });
  }
}
