import { TollgateError } from '@tollgate/contracts';
import type { ServiceManifest } from '@tollgate/runtime';
import { SERVICE_NAMES, START_ORDER } from './service-registry.js';

export class TargetError extends TollgateError<'unknown_target' | 'needs_nats' | 'needs_database'> {
  constructor(message: string, code: TargetError['code'] = 'unknown_target') {
    super(code, message);
  }
}

/**
 * Resolves `all` and service names into manifests in start order (derived from their declared
 * dependencies: the verifiers first, the gateway last, so a process only takes RADIUS traffic once
 * it can answer it; stop is the reverse); rejects unknown names.
 */
export function resolveTargets(names: string[]): ServiceManifest[] {
  if (names.length === 0) throw new TargetError(`no target given; use one or more of: all, ${SERVICE_NAMES.join(', ')}`);
  const wanted = new Set<string>();
  for (const name of names) {
    if (name === 'all') for (const n of SERVICE_NAMES) wanted.add(n);
    else if (SERVICE_NAMES.includes(name)) wanted.add(name);
    else throw new TargetError(`unknown target '${name}'; use one or more of: all, ${SERVICE_NAMES.join(', ')}`);
  }
  return START_ORDER.filter((m) => wanted.has(m.name));
}
