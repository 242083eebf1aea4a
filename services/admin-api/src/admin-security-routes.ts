/**
 * `/api/v1/settings/admin-security {requireTotpForAdmins}` (default false): whether every account
 * with role admin must have its own TOTP (admin-totp-requirement.ts). Readable by admin and auditor,
 * changed by admin only, audited. Turning it on from a session whose own account has no TOTP is
 * refused (409): that admin would hold back their own session. An API token may turn it on.
 */
import { z } from 'zod';
import { adminAccounts, DEFAULT_ADMIN_SECURITY, settings } from '@tollgate/store';
import { conflict } from './api-error.js';
import type { AdminKit } from './admin-kit.js';
import { parseBody, type ApiRoutes } from './api-routes.js';
import { requestContext } from './principal.js';

const AdminSecurityInput = z.strictObject({
  requireTotpForAdmins: z.boolean(),
});

export function registerAdminSecurityRoutes(routes: ApiRoutes, kit: AdminKit): void {
  routes.add(
    'get',
    '/api/v1/settings/admin-security',
    async (_req, res) => {
      res.json((await settings.get(kit.db, 'admin-security')) ?? DEFAULT_ADMIN_SECURITY);
    },
    { summary: 'Whether admin accounts must have their own TOTP' },
  );

  routes.add(
    'put',
    '/api/v1/settings/admin-security',
    async (req, res) => {
      const input = parseBody(AdminSecurityInput, req);
      const { principal } = requestContext.getStore()!;
      if (input.requireTotpForAdmins && principal.kind === 'account') {
        const own = await adminAccounts.get(kit.db, principal.name);
        if (!own?.totpSeedSealed) {
          throw conflict(
            'requireTotpForAdmins',
            'cannot be turned on from a session whose own account has no TOTP; enrol yours first (POST, then PUT /api/v1/session/totp), or use an API token',
          );
        }
      }
      await settings.put(kit.db, 'admin-security', input);
      await kit.audit('settings.admin_security.update', 'admin-security', { ...input });
      res.json(input);
    },
    {
      summary: 'Require (or stop requiring) admin accounts to have their own TOTP',
      request: AdminSecurityInput,
      responses: { 409: 'Turning it on from a session whose own account has no TOTP' },
    },
  );
}
