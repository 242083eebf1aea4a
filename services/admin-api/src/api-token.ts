/**
 * How the admin API recognises its one bearer token: against the token itself (`ADMIN_API_TOKEN`)
 * or against its SHA-256 (`ADMIN_API_TOKEN_SHA256`), so an install that generated its token can
 * keep only the hash at rest and still verify it after a restart. The token is random and long,
 * so a plain hash is as good as a slow one here; both comparisons run in constant time.
 */
import { createHash } from 'node:crypto';
import { secretsEqual } from '@tollgate/security';

/** Lower-case hex SHA-256 of a token: the form `ADMIN_API_TOKEN_SHA256` holds. */
export function apiTokenSha256(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export type ApiTokenCheck = (presented: string) => boolean;

/** Exactly one of `token` or `sha256` must be given. */
export function apiTokenCheck(expected: { token?: string | undefined; sha256?: string | undefined }): ApiTokenCheck {
  if (expected.token !== undefined && expected.sha256 !== undefined) throw new Error('give the API token or its SHA-256, not both');
  if (expected.token !== undefined) {
    const token = expected.token;
    return (presented) => secretsEqual(presented, token);
  }
  if (expected.sha256 !== undefined) {
    const hash = expected.sha256.toLowerCase();
    return (presented) => secretsEqual(apiTokenSha256(presented), hash);
  }
  throw new Error('an API token or its SHA-256 is required');
}
