import { PORTAL_BUS_KEY_PURPOSE, isPortalSubject } from '@tollgate/contracts';
import { BUS_KEY_PURPOSE, BusSeal } from './bus-seal.js';

/**
 * Which seal a bus message is sealed (and opened) with, by its subject: the enrolment portal's
 * subjects with a key derived for the portal alone, everything else with the bus key. A process
 * holding the master key has both; the portal, which faces the internet, is given only its own,
 * so it opens its own messages and nothing of the RADIUS path's.
 */
export interface SealSelector {
  for(subject: string): BusSeal;
}

/** Subjects remembered per selector before the cache starts again (an installation has a few dozen). */
const CACHE_LIMIT = 1024;

class SubjectSeals implements SealSelector {
  readonly #pick: (subject: string) => BusSeal;
  readonly #cache = new Map<string, BusSeal>();

  constructor(pick: (subject: string) => BusSeal) {
    this.#pick = pick;
  }

  for(subject: string): BusSeal {
    let seal = this.#cache.get(subject);
    if (seal === undefined) {
      seal = this.#pick(subject);
      if (this.#cache.size >= CACHE_LIMIT) this.#cache.clear();
      this.#cache.set(subject, seal);
    }
    return seal;
  }
}

/** One seal for every subject. */
export function singleSeal(seal: BusSeal): SealSelector {
  return { for: () => seal };
}

/**
 * A process with the master key: `portal.v1.*` subjects under the portal key
 * (`PORTAL_BUS_KEY_PURPOSE`), the others under the bus key (`BUS_KEY_PURPOSE`).
 */
export function installationSeals(keyring: { deriveKey(purpose: string): Uint8Array }, now?: () => number): SealSelector {
  const bus = new BusSeal(keyring.deriveKey(BUS_KEY_PURPOSE), now);
  const portal = new BusSeal(keyring.deriveKey(PORTAL_BUS_KEY_PURPOSE), now);
  return new SubjectSeals((subject) => (isPortalSubject(subject) ? portal : bus));
}

/** The key handed to a portal-only process (`PORTAL_BUS_KEY`): the master key's derived portal key. */
export function portalBusKey(keyring: { deriveKey(purpose: string): Uint8Array }): Uint8Array {
  return keyring.deriveKey(PORTAL_BUS_KEY_PURPOSE);
}

/** Parses `PORTAL_BUS_KEY` (base64 or base64url of 32 bytes); undefined if it is not one. */
export function parsePortalBusKey(text: string): Uint8Array | undefined {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) return undefined;
  const key = Buffer.from(trimmed, 'base64');
  return key.length === 32 ? key : undefined;
}
