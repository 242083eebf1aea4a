/**
 * `/api/v1/users/:username/totp`: a user's second factor. PUT stores a hardware token's seed;
 * POST generates a 160-bit seed and returns it, with its otpauth URI and that URI as a QR code
 * (a PNG data URL the console shows for an authenticator app to scan), exactly once; DELETE removes
 * it. Seeds are sealed with `totp:<upn>` and no other answer ever contains one.
 */
import { z } from 'zod';
import { totpSeedContext } from '@tollgate/contracts';
import { tokens } from '@tollgate/store';
import { generateSeed, otpauthUri, parseBase32Seed, tokenLabelProblem, TOTP_ALGORITHMS, TotpError } from '@tollgate/totp';
import { notFound } from './api-error.js';
import type { AdminKit } from './admin-kit.js';
import { parseBody, type ApiRoutes } from './api-routes.js';
import { otpauthQrCode } from './qr-code.js';
import { loadUser } from './user-routes.js';
import { tokenView } from './user-view.js';

/** 20 bytes: the SHA-1 output size RFC 4226 recommends for a seed. */
const GENERATED_SEED_BYTES = 20;

const digits = z.literal([6, 8], { message: 'must be 6 or 8' }).default(6);
const period = z.literal([30, 60], { message: 'must be 30 or 60' }).default(30);
const algorithm = z.enum(TOTP_ALGORITHMS, { message: 'must be SHA1, SHA256 or SHA512' }).default('SHA1');
// The same rules as the OATH CSV import's serial number, manufacturer and model.
const label = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const problem = tokenLabelProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .nullable()
  .optional();

const HardwareInput = z.strictObject({
  secret: z.string().transform((value, ctx) => {
    try {
      return parseBase32Seed(value).base32;
    } catch (error) {
      if (!(error instanceof TotpError)) throw error;
      // TotpError messages never contain the seed.
      ctx.addIssue({ code: 'custom', message: error.message });
      return z.NEVER;
    }
  }),
  digits,
  period,
  algorithm,
  serial: label,
  manufacturer: label,
  model: label,
});

const GenerateInput = z.strictObject({ digits, period, algorithm });

export interface GeneratedToken {
  secret: string;
  otpauthUri: string;
}

/** A new 160-bit seed and its otpauth URI: what the admin API and the enrolment portal both hand out. */
export function generateToken(
  issuer: string,
  upn: string,
  shape: { digits: 6 | 8; period: 30 | 60; algorithm: (typeof TOTP_ALGORITHMS)[number] },
): GeneratedToken {
  const secret = generateSeed(GENERATED_SEED_BYTES);
  return { secret, otpauthUri: otpauthUri({ issuer, label: upn, secret, ...shape }) };
}

export function registerTotpRoutes(routes: ApiRoutes, kit: AdminKit): void {
  const summary = async (upn: string) => {
    const user = await loadUser(kit, upn);
    if (!user.token) throw notFound('username', 'the user has no TOTP token');
    return tokenView(user.token);
  };

  routes.add(
    'put',
    '/api/v1/users/:username/totp',
    async (req, res) => {
      const input = parseBody(HardwareInput, req);
      const upn = await kit.upnParam(req);
      await loadUser(kit, upn);
      await tokens.put(kit.db, {
        upn,
        secretSealed: kit.deps.keyring.seal(input.secret, totpSeedContext(upn)),
        digits: input.digits,
        period: input.period,
        algorithm: input.algorithm,
        source: 'hardware',
        serial: input.serial ?? null,
        manufacturer: input.manufacturer ?? null,
        model: input.model ?? null,
      });
      await kit.audit('user.totp.set', upn, {
        source: 'hardware',
        serial: input.serial ?? null,
        digits: input.digits,
        period: input.period,
        algorithm: input.algorithm,
      });
      kit.configChanged({ kind: 'users', key: upn });
      res.json(await summary(upn));
    },
    { permission: 'users.write', summary: "Set a user's token from a known seed (a hardware token)", request: HardwareInput },
  );

  routes.add(
    'post',
    '/api/v1/users/:username/totp',
    async (req, res) => {
      const input = parseBody(GenerateInput, req);
      const upn = await kit.upnParam(req);
      await loadUser(kit, upn);
      const { secret, otpauthUri: uri } = generateToken(kit.deps.issuer, upn, input);
      await tokens.put(kit.db, {
        upn,
        secretSealed: kit.deps.keyring.seal(secret, totpSeedContext(upn)),
        digits: input.digits,
        period: input.period,
        algorithm: input.algorithm,
        source: 'generated',
      });
      await kit.audit('user.totp.generate', upn, {
        source: 'generated',
        digits: input.digits,
        period: input.period,
        algorithm: input.algorithm,
      });
      kit.configChanged({ kind: 'users', key: upn });
      const qrCode = await otpauthQrCode(uri);
      res.status(201).json({ secret, otpauthUri: uri, qrCode, digits: input.digits, period: input.period, algorithm: input.algorithm });
    },
    {
      permission: 'users.write',
      summary: 'Generate a new seed for the user, shown once with its otpauth URI',
      request: GenerateInput,
      status: 201,
    },
  );

  routes.add(
    'delete',
    '/api/v1/users/:username/totp',
    async (req, res) => {
      const upn = await kit.upnParam(req);
      await loadUser(kit, upn);
      if (!(await tokens.remove(kit.db, upn))) throw notFound('username', 'the user has no TOTP token');
      await kit.audit('user.totp.delete', upn);
      kit.configChanged({ kind: 'users', key: upn });
      res.status(204).end();
    },
    { permission: 'users.write', summary: "Remove the user's token", status: 204 },
  );
}
