/**
 * How a presented bearer token becomes a principal: the bootstrap token (`ADMIN_API_TOKEN` or its
 * SHA-256) is role admin; any other is looked up by its SHA-256 among the named API tokens. The
 * bootstrap comparison runs in constant time; the table lookup is by hash, so timing reveals nothing
 * of the token.
 */
import type { Db } from '@tollgate/store';
import { apiTokens } from '@tollgate/store';
import { apiTokenCheck, apiTokenSha256 } from './api-token.js';
import { isRole } from './permissions.js';
import { BOOTSTRAP_TOKEN_NAME, type PrincipalResolver } from './principal.js';

export function principalResolver(db: Db, bootstrap: { token?: string | undefined; sha256?: string | undefined }): PrincipalResolver {
  const isBootstrap = apiTokenCheck(bootstrap);
  return async (presented) => {
    if (isBootstrap(presented)) return { kind: 'token', name: BOOTSTRAP_TOKEN_NAME, role: 'admin' };
    const record = await apiTokens.use(db, apiTokenSha256(presented));
    // A role the code no longer knows grants nothing: fail closed.
    if (!record || !isRole(record.role)) return undefined;
    return { kind: 'token', name: record.name, role: record.role };
  };
}
