import { TollgateError } from '@tollgate/contracts';
/**
 * The start order of services, derived from the dependencies their manifests declare (dskit's
 * modules manager): a service starts after everything it depends on, and the launcher stops them
 * in reverse. Services start in waves: those that depend on nothing, then those whose dependencies
 * all started in earlier waves, and so on (the front door, at the end of the longest chain, last);
 * within a wave the registry's order decides, so the order is stable.
 */
export interface Dependent {
  readonly name: string;
  readonly dependsOn: readonly string[];
}

export class ServiceOrderError extends TollgateError<'duplicate_service' | 'unknown_dependency' | 'dependency_cycle'> {}

/** `services` in an order where each comes after its dependencies; throws on a duplicate, an unknown name or a cycle. */
export function startOrder<T extends Dependent>(services: readonly T[]): T[] {
  const byName = new Map<string, T>();
  for (const service of services) {
    if (byName.has(service.name)) throw new ServiceOrderError('duplicate_service', `service ${service.name} is registered twice`);
    byName.set(service.name, service);
  }
  for (const service of services) {
    for (const dependency of service.dependsOn) {
      if (!byName.has(dependency))
        throw new ServiceOrderError(
          'unknown_dependency',
          `service ${service.name} depends on ${dependency}, which is not a registered service`,
        );
    }
  }
  const depth = new Map<string, number>();
  const visit = (service: Dependent, path: string[]): number => {
    const known = depth.get(service.name);
    if (known !== undefined) return known;
    if (path.includes(service.name)) {
      const cycle = [...path.slice(path.indexOf(service.name)), service.name];
      throw new ServiceOrderError('dependency_cycle', `services depend on each other in a cycle: ${cycle.join(' -> ')}`);
    }
    const here = [...path, service.name];
    const level = service.dependsOn.reduce((deepest, d) => Math.max(deepest, visit(byName.get(d)!, here) + 1), 0);
    depth.set(service.name, level);
    return level;
  };
  for (const service of services) visit(service, []);
  const index = new Map(services.map((service, i) => [service.name, i]));
  return [...services].sort((a, b) => depth.get(a.name)! - depth.get(b.name)! || index.get(a.name)! - index.get(b.name)!);
}
