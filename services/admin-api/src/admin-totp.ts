/**
 * An admin account's own TOTP (SHA1, 6 digits, 30 s: what every authenticator app reads), its seed
 * sealed at rest bound to the account. `POST /api/v1/session/totp` (a signed-in account) makes a
 * seed and shows it once with its otpauth URI (and that URI as a QR code, a PNG data URL); `PUT /api/v1/session/totp {code}` confirms it with a
 * code, after which sign-in asks for a code. A code's time step is claimed in the database, so a
 * used code cannot sign in again, on any replica.
 */
import { z } from 'zod';
import { adminTotpSeedContext } from '@tollgate/contracts';
import { adminAccounts, type AdminAccountRecord } from '@tollgate/store';
import { generateSeed, otpauthUri, verifyTotp } from '@tollgate/totp';
import { badRequest } from './api-error.js';
import type { AdminKit } from './admin-kit.js';
import { parseBody, type ApiRoutes } from './api-routes.js';
import { requestContext } from './principal.js';
import { otpauthQrCode } from './qr-code.js';

const PARAMETERS = { digits: 6, period: 30, algorithm: 'SHA1' } as const;

/** The time step of `code` when it is the current code of the seed (the caller claims the step); false otherwise. */
export async function adminCodeValid(
  kit: AdminKit,
  account: AdminAccountRecord,
  code: string,
  sealed = account.totpSeedSealed,
): Promise<number | false> {
  if (!sealed) return false;
  const opened = kit.deps.keyring.open(sealed, adminTotpSeedContext(account.username));
  const result = verifyTotp({ ...PARAMETERS, secret: opened.toString('utf8'), code, nowMs: Date.now() });
  opened.fill(0);
  return result.valid ? result.step : false;
}

const ConfirmInput = z.strictObject({ code: z.string().max(16, 'must be at most 16 characters') });

function accountOnly(): string {
  const context = requestContext.getStore()!;
  if (context.principal.kind !== 'account')
    throw badRequest('authorization', 'only a signed-in account (session) has its own TOTP, not an API token');
  return context.principal.name;
}

export function registerAdminTotpRoutes(routes: ApiRoutes, kit: AdminKit): void {
  routes.add(
    'post',
    '/api/v1/session/totp',
    async (_req, res) => {
      const username = accountOnly();
      const secret = generateSeed(20);
      await adminAccounts.setPendingTotp(kit.db, username, kit.deps.keyring.seal(secret, adminTotpSeedContext(username)));
      await kit.audit('admin.totp.begin', username);
      const uri = otpauthUri({ issuer: kit.deps.issuer, label: username, secret, ...PARAMETERS });
      res.status(201).json({ secret, uri, qrCode: await otpauthQrCode(uri), ...PARAMETERS });
    },
    {
      permission: 'self',
      body: 'none',
      summary: "Begin enrolling the signed-in account's own TOTP: a new seed, shown once",
      status: 201,
      responses: { 400: 'Called with an API token, which has no TOTP of its own' },
    },
  );

  routes.add(
    'put',
    '/api/v1/session/totp',
    async (req, res) => {
      const input = parseBody(ConfirmInput, req);
      const username = accountOnly();
      const account = await adminAccounts.get(kit.db, username);
      if (!account?.totpPendingSealed) throw badRequest('code', 'no TOTP enrolment is in progress (POST /api/v1/session/totp first)');
      const step = await adminCodeValid(kit, account, input.code, account.totpPendingSealed);
      if (step === false) throw badRequest('code', 'is not the current code of the new seed');
      await adminAccounts.confirmTotp(kit.db, username, step);
      await kit.audit('admin.totp.confirm', username);
      res.json({ username, hasTotp: true });
    },
    { permission: 'self', summary: "Confirm the account's new TOTP with a current code", request: ConfirmInput },
  );
}
