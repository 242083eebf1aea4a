import { SERVICE_NAMES, type ServiceDefinition, type ServiceName } from '@tollgate/runtime';
import { radiusGateway } from '@tollgate/radius-gateway';
import { otpVerifier } from '@tollgate/otp-verifier';
import { entraVerifier } from '@tollgate/entra-verifier';
import { aggregator } from '@tollgate/aggregator';
import { adminApi } from '@tollgate/admin-api';
import { TollgateError } from '@tollgate/contracts';

/**
 * Start order: the verifiers first, then the aggregator that asks them, the admin API, and the
 * gateway last, so a process only takes RADIUS traffic once it can answer it. Stop is the reverse.
 */
const DEFINITIONS: Record<ServiceName, ServiceDefinition> = {
  'otp-verifier': otpVerifier,
  'entra-verifier': entraVerifier,
  aggregator,
  'admin-api': adminApi,
  'radius-gateway': radiusGateway,
};
const START_ORDER: ServiceName[] = ['otp-verifier', 'entra-verifier', 'aggregator', 'admin-api', 'radius-gateway'];

export class TargetError extends TollgateError<'unknown_target' | 'needs_nats' | 'needs_database'> {
  constructor(message: string, code: TargetError['code'] = 'unknown_target') {
    super(code, message);
  }
}

/** Resolves `all` and service names into definitions in start order; rejects unknown names. */
export function resolveTargets(names: string[]): ServiceDefinition[] {
  if (names.length === 0) throw new TargetError(`no target given; use one or more of: all, ${SERVICE_NAMES.join(', ')}`);
  const wanted = new Set<ServiceName>();
  for (const name of names) {
    if (name === 'all') for (const n of SERVICE_NAMES) wanted.add(n);
    else if ((SERVICE_NAMES as readonly string[]).includes(name)) wanted.add(name as ServiceName);
    else throw new TargetError(`unknown target '${name}'; use one or more of: all, ${SERVICE_NAMES.join(', ')}`);
  }
  return START_ORDER.filter((n) => wanted.has(n)).map((n) => DEFINITIONS[n]);
}
