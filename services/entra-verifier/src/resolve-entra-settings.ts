/**
 * Turns the stored Entra settings into what a call needs (token URL, client, scope, secret),
 * or says why there is nothing to call: not configured (no call, `not_configured`) or
 * misconfigured (no call, `config_error`). Pure apart from `openSecret`, which the service
 * wires to the keyring.
 */
import { AuthorityError, buildTokenUrl, type AuthorityPolicy } from '@tollgate/contracts';
import { DEFAULT_SCOPE, type EntraSettings } from '@tollgate/store';

export type ResolvedEntra =
  | { kind: 'not_configured' }
  | {
      kind: 'invalid';
      /** Stable reason for the log: authority_*, tenant_*, or client_secret_unreadable. */
      code: string;
      message: string;
      aadsts?: number;
    }
  | {
      kind: 'ready';
      /** `scheme://host[:port]`: one connection pool per origin. */
      origin: string;
      /** `/{tenant}/oauth2/v2.0/token`. */
      path: string;
      clientId: string;
      clientSecret?: string;
      scope: string;
      /** Identifies this endpoint and client, so a throttle is kept for exactly what Entra throttled. */
      throttleKey: string;
    };

export function resolveEntraSettings(
  stored: EntraSettings | null,
  policy: AuthorityPolicy,
  openSecret: (sealed: string) => string,
): ResolvedEntra {
  const tenantId = stored?.tenantId?.trim();
  const clientId = stored?.clientId?.trim();
  if (stored?.enabled !== true || !tenantId || !clientId) return { kind: 'not_configured' };

  let url: URL;
  try {
    url = buildTokenUrl(stored.authorityHost, tenantId, policy);
  } catch (error) {
    if (!(error instanceof AuthorityError)) throw error;
    // The shared messages read after the field name: "authorityHost must use https …".
    const message = `${error.field} ${error.message}`;
    return error.aadsts === undefined
      ? { kind: 'invalid', code: error.code, message }
      : { kind: 'invalid', code: error.code, message, aadsts: error.aadsts };
  }

  let clientSecret: string | undefined;
  if (stored.clientSecretSealed) {
    try {
      clientSecret = openSecret(stored.clientSecretSealed);
    } catch {
      // Wrong master key or a value sealed for another context; never echo the sealed text.
      return { kind: 'invalid', code: 'client_secret_unreadable', message: 'the Entra client secret does not open with this master key' };
    }
  }

  const scope = stored.scope?.trim() || DEFAULT_SCOPE;
  const resolved: ResolvedEntra = {
    kind: 'ready',
    origin: url.origin,
    path: url.pathname,
    clientId,
    scope,
    throttleKey: `${url.href}|${clientId}`,
  };
  return clientSecret === undefined ? resolved : { ...resolved, clientSecret };
}
