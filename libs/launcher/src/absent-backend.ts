import { TollgateError } from '@tollgate/contracts';

export class AbsentBackendError extends TollgateError<'backend_absent'> {}

/**
 * What a portal-only process hands its services for the database, the state store and the
 * keyring it does not have: their manifests declare none, so any use is a bug, and it fails
 * loudly (naming what is missing) instead of reaching a default.
 */
export function absentBackend<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get(_target, property) {
      // Not a thenable: awaiting it (or checking for one) must not throw.
      if (property === 'then' || typeof property === 'symbol') return undefined;
      throw new AbsentBackendError('backend_absent', `this process has no ${what} (it runs only services that declare none)`);
    },
  });
}
