/**
 * `/api/v1/radius-clients`: the NASes allowed to send Access-Requests. The shared secret is sealed
 * with `radius-client:<id>` and never returned; addresses are stored canonical so the uniqueness
 * constraint catches the same network written two ways.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { OtpModes, PasswordSources, radiusClientSecretContext } from '@tollgate/contracts';
import { radiusClients, type RadiusClientChanges, type RadiusClientRecord } from '@tollgate/store';
import { badRequest, conflict, notFound } from './api-error.js';
import type { AdminKit } from './admin-kit.js';
import { parseBody, type ApiRoutes } from './api-routes.js';
import { canonicalAddress } from './canonical-address.js';

const PRINTABLE = /^[\x20-\x7e]+$/;

const name = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(PRINTABLE, 'must be printable ASCII');

const secret = z
  .string()
  .min(8, 'must be at least 8 characters (16 or more recommended)')
  .max(128, 'must be at most 128 characters')
  .regex(PRINTABLE, 'must be printable ASCII');

const address = z.string().transform((value, ctx) => {
  const result = canonicalAddress(value);
  if (result.ok) return result.address;
  ctx.addIssue({ code: 'custom', message: result.problem });
  return z.NEVER;
});

/** How the client's users enter their code (docs/radius-gateway.md, "Code entry and NAS cookbook"). */
const otpMode = z.enum(OtpModes, `must be one of ${OtpModes.join(', ')}`);

/** The directories that check its users' passwords, in order: the next only when the one before is unavailable. */
const passwordSources = z
  .array(z.enum(PasswordSources, `each must be one of ${PasswordSources.join(', ')}`))
  .min(1, 'must name at least one source')
  .max(PasswordSources.length, `must name at most ${PasswordSources.length} sources`)
  .refine((list) => new Set(list).size === list.length, { message: 'must not name a source twice' });

const CreateInput = z.strictObject({
  name,
  address,
  secret,
  requireMessageAuthenticator: z.boolean().default(true),
  otpMode: otpMode.default('append'),
  passwordSources: passwordSources.default(['entra']),
  fallbackCodes: z.boolean().default(false),
});

const PatchInput = z.strictObject({
  name: name.optional(),
  secret: secret.optional(),
  requireMessageAuthenticator: z.boolean().optional(),
  otpMode: otpMode.optional(),
  passwordSources: passwordSources.optional(),
  fallbackCodes: z.boolean().optional(),
});

function view(client: RadiusClientRecord) {
  return {
    id: client.id,
    name: client.name,
    address: client.address,
    requireMessageAuthenticator: client.requireMessageAuthenticator,
    otpMode: client.otpMode,
    passwordSources: client.passwordSources,
    fallbackCodes: client.fallbackCodes,
    createdAt: client.createdAt,
  };
}

/** Said with every answer that turns fallback codes on: they are weaker than TOTP (docs/fallback-codes.md). */
export const FALLBACK_CODES_WARNING =
  'fallback codes by email or SMS are weaker than TOTP: whoever reads the mailbox or takes over the phone number (SIM swap) gets the code; enable only where a lost authenticator must not lock users out';

function withWarning(body: ReturnType<typeof view>, enabling: boolean) {
  return enabling ? { ...body, warnings: [FALLBACK_CODES_WARNING] } : body;
}

/** A unique violation becomes a 409 naming the field whose value is taken. */
function asConflict(error: unknown): never {
  const pg = error as { code?: string; constraint?: string };
  if (pg.code === '23505') {
    if (pg.constraint?.includes('address')) throw conflict('address', 'a client with this address already exists');
    throw conflict('name', 'a client with this name already exists');
  }
  throw error;
}

export function registerRadiusClientRoutes(routes: ApiRoutes, kit: AdminKit): void {
  const load = async (id: string): Promise<RadiusClientRecord> => {
    const client = await radiusClients.get(kit.db, id);
    if (!client) throw notFound('id', 'no RADIUS client with this id');
    return client;
  };

  routes.add(
    'post',
    '/api/v1/radius-clients',
    async (req, res) => {
      const input = parseBody(CreateInput, req);
      const id = randomUUID();
      await radiusClients
        .create(kit.db, {
          id,
          name: input.name,
          address: input.address,
          secretSealed: kit.deps.keyring.seal(input.secret, radiusClientSecretContext(id)),
          requireMessageAuthenticator: input.requireMessageAuthenticator,
          otpMode: input.otpMode,
          passwordSources: input.passwordSources,
          fallbackCodes: input.fallbackCodes,
        })
        .catch(asConflict);
      const created = await load(id);
      await kit.audit('radius_client.create', id, {
        name: created.name,
        address: created.address,
        requireMessageAuthenticator: created.requireMessageAuthenticator,
        otpMode: created.otpMode,
        passwordSources: created.passwordSources,
        fallbackCodes: created.fallbackCodes,
      });
      kit.configChanged({ kind: 'radius_clients' });
      res.status(201).json(withWarning(view(created), created.fallbackCodes));
    },
    {
      summary:
        'Add a RADIUS client (NAS): name, address or CIDR, shared secret, how its users enter their code, its password sources, fallback codes by email or SMS (off by default)',
      request: CreateInput,
      status: 201,
      responses: { 409: 'The name or address is taken' },
    },
  );

  routes.add(
    'get',
    '/api/v1/radius-clients',
    async (_req, res) => {
      res.json({ clients: (await radiusClients.list(kit.db)).map(view) });
    },
    { summary: 'The RADIUS clients (never a shared secret)' },
  );

  routes.add(
    'get',
    '/api/v1/radius-clients/:id',
    async (req, res) => {
      res.json(view(await load(String(req.params.id))));
    },
    { summary: 'One RADIUS client' },
  );

  routes.add(
    'patch',
    '/api/v1/radius-clients/:id',
    async (req, res) => {
      const input = parseBody(PatchInput, req);
      if (Object.values(input).every((value) => value === undefined)) {
        throw badRequest(
          'body',
          'must change at least one of name, secret, requireMessageAuthenticator, otpMode, passwordSources, fallbackCodes',
        );
      }
      const id = String(req.params.id);
      const changes: RadiusClientChanges = {};
      if (input.name !== undefined) changes.name = input.name;
      if (input.secret !== undefined) changes.secretSealed = kit.deps.keyring.seal(input.secret, radiusClientSecretContext(id));
      if (input.requireMessageAuthenticator !== undefined) changes.requireMessageAuthenticator = input.requireMessageAuthenticator;
      if (input.otpMode !== undefined) changes.otpMode = input.otpMode;
      if (input.passwordSources !== undefined) changes.passwordSources = input.passwordSources;
      if (input.fallbackCodes !== undefined) changes.fallbackCodes = input.fallbackCodes;
      const updated = await radiusClients.update(kit.db, id, changes).catch(asConflict);
      if (!updated) throw notFound('id', 'no RADIUS client with this id');
      const client = await load(id);
      await kit.audit('radius_client.update', id, {
        name: client.name,
        changed: Object.keys(input),
        ...(input.fallbackCodes === undefined ? {} : { fallbackCodes: input.fallbackCodes }),
      });
      kit.configChanged({ kind: 'radius_clients' });
      res.json(withWarning(view(client), input.fallbackCodes === true));
    },
    { summary: 'Change a RADIUS client', request: PatchInput, responses: { 409: 'The name or address is taken' } },
  );

  routes.add(
    'delete',
    '/api/v1/radius-clients/:id',
    async (req, res) => {
      const id = String(req.params.id);
      if (!(await radiusClients.remove(kit.db, id))) throw notFound('id', 'no RADIUS client with this id');
      await kit.audit('radius_client.delete', id);
      kit.configChanged({ kind: 'radius_clients' });
      res.status(204).end();
    },
    { summary: 'Remove a RADIUS client', status: 204 },
  );
}
