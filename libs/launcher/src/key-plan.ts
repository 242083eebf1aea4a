/**
 * Which keys one process holds, from its services' manifests: the master key (and from it the bus
 * key and the portal key), or, when every service it runs says `secrets: 'portal-key'`, only the
 * portal key from `PORTAL_BUS_KEY`, with no database and no state store either.
 */
import { ConfigError } from '@tollgate/config';
import type { ServiceManifest } from '@tollgate/runtime';
import {
  BusSeal,
  type Keyring,
  installationSeals,
  parsePortalBusKey,
  portalBusKey,
  singleSeal,
  type SealSelector,
} from '@tollgate/security';

export type KeyPlan = 'master-key' | 'portal-key';

export function planKeys(services: readonly Pick<ServiceManifest, 'secrets'>[]): KeyPlan {
  return services.length > 0 && services.every((s) => s.secrets === 'portal-key') ? 'portal-key' : 'master-key';
}

export interface ProcessKeys {
  /** Undefined in a portal-only process. */
  keyring: Keyring | undefined;
  seals: SealSelector;
  portalKey: Uint8Array;
}

/** The keys of a process holding the master key: bus key for the rest, portal key for `portal.v1.*`. */
export function masterKeys(keyring: Keyring): ProcessKeys {
  return { keyring, seals: installationSeals(keyring), portalKey: portalBusKey(keyring) };
}

/** The keys of a portal-only process: `PORTAL_BUS_KEY` seals everything it sends and takes. */
export function portalOnlyKeys(env: Record<string, string | undefined>): ProcessKeys {
  const text = env.PORTAL_BUS_KEY;
  if (!text)
    throw new ConfigError(
      'tollgate',
      'PORTAL_BUS_KEY',
      'is required for a process running only the portal (print it with `tollgate keys portal`)',
    );
  const key = parsePortalBusKey(text);
  if (!key) throw new ConfigError('tollgate', 'PORTAL_BUS_KEY', 'must be 32 bytes, base64 (print it with `tollgate keys portal`)');
  return { keyring: undefined, seals: singleSeal(new BusSeal(key)), portalKey: key };
}
