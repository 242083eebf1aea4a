/**
 * `/api/v1/api-tokens`: named bearer tokens with a role, for scripts and integrations. A token is
 * random (256 bits, prefixed `tg_` so secret scanners and people recognise it), returned once on
 * creation and stored by its SHA-256 only; the list shows names, roles and dates, never a value.
 * Changes are admin only (the default permission of these routes).
 */
import { z } from 'zod';
import { randomToken } from '@tollgate/security';
import { apiTokens } from '@tollgate/store';
import { conflict, notFound } from './api-error.js';
import type { AdminKit } from './admin-kit.js';
import { parseBody, type ApiRoutes } from './api-routes.js';
import { apiTokenSha256 } from './api-token.js';
import { ROLES } from './permissions.js';
import { BOOTSTRAP_TOKEN_NAME } from './principal.js';

export const API_TOKEN_PREFIX = 'tg_';

const tokenName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'must be 1 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit',
  )
  .refine((name) => name !== BOOTSTRAP_TOKEN_NAME, { message: `must not be ${BOOTSTRAP_TOKEN_NAME} (the name of ADMIN_API_TOKEN)` });

const CreateInput = z.strictObject({
  name: tokenName,
  role: z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` }),
});

export function registerApiTokenRoutes(routes: ApiRoutes, kit: AdminKit): void {
  routes.add(
    'post',
    '/api/v1/api-tokens',
    async (req, res) => {
      const input = parseBody(CreateInput, req);
      const token = `${API_TOKEN_PREFIX}${randomToken(32)}`;
      if (!(await apiTokens.create(kit.db, { name: input.name, role: input.role, sha256: apiTokenSha256(token) }))) {
        throw conflict('name', 'an API token with this name already exists');
      }
      await kit.audit('api_token.create', input.name, { role: input.role });
      res.status(201).json({ name: input.name, role: input.role, token });
    },
    {
      summary: 'Create a named API token with a role; its value is answered once',
      request: CreateInput,
      status: 201,
      responses: { 409: 'A token with this name exists' },
    },
  );

  // Listed for admin and auditor (the default for reads): names, roles and dates only.
  routes.add(
    'get',
    '/api/v1/api-tokens',
    async (_req, res) => {
      const list = await apiTokens.list(kit.db);
      res.json({ apiTokens: list.map((t) => ({ name: t.name, role: t.role, createdAt: t.createdAt, lastUsedAt: t.lastUsedAt })) });
    },
    { summary: 'The API tokens: names, roles, dates (never a value)' },
  );

  routes.add(
    'delete',
    '/api/v1/api-tokens/:name',
    async (req, res) => {
      const name = String(req.params.name ?? '');
      if (!(await apiTokens.remove(kit.db, name))) throw notFound('name', 'no such API token');
      await kit.audit('api_token.delete', name);
      res.status(204).end();
    },
    { summary: 'Revoke an API token', status: 204 },
  );
}
