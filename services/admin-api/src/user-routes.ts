/**
 * `/api/v1/users`: the people allowed through. User names are canonicalised with the Entra domain
 * (`alice` -> `alice@contoso.com`) everywhere, so the path, the body and the aggregator agree.
 */
import { z } from 'zod';
import { authStats, groups, users, type UserWithToken } from '@tollgate/store';
import { badRequest, conflict, notFound } from './api-error.js';
import type { AdminKit } from './admin-kit.js';
import { parseBody, parseQuery, type ApiRoutes } from './api-routes.js';
import { userView } from './user-view.js';

const displayName = z
  .string()
  .trim()
  .max(256, 'must be at most 256 characters')
  .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters')
  .nullable();

/** Where fallback codes go by email (clients with fallbackCodes); null clears it. */
const email = z
  .string()
  .trim()
  .max(254, 'must be at most 254 characters')
  .regex(/^[^\s@<>(),;:"\\]+@[^\s@<>(),;:"\\]+\.[^\s@<>(),;:"\\]+$/, 'must be an email address (name@example.com)')
  .nullable();

/** Where fallback codes go by SMS, in E.164; spaces, dashes and parentheses are dropped. Null clears it. */
const phone = z
  .string()
  .transform((value) => value.replace(/[\s\-().]/g, ''))
  .pipe(z.string().regex(/^\+[1-9][0-9]{6,14}$/, 'must be a phone number in international form (+41791234567)'))
  .nullable();

const CreateInput = z.strictObject({
  username: z.string().max(256, 'must be at most 256 characters'),
  displayName: displayName.optional(),
  enabled: z.boolean().default(true),
  email: email.optional(),
  phone: phone.optional(),
});

const PatchInput = z.strictObject({
  displayName: displayName.optional(),
  enabled: z.boolean().optional(),
  email: email.optional(),
  phone: phone.optional(),
});

const ListQuery = z.strictObject({
  limit: z.coerce.number().int('must be an integer').min(1, 'must be from 1 to 1000').max(1000, 'must be from 1 to 1000').default(100),
  after: z.string().max(256, 'must be at most 256 characters').optional(),
  search: z.string().max(256, 'must be at most 256 characters').optional(),
});

/** The store searches with LIKE; the admin's text is matched literally. */
const likeLiteral = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function loadUser(kit: AdminKit, upn: string): Promise<UserWithToken> {
  const user = await users.get(kit.db, upn);
  if (!user) throw notFound('username', 'no such user');
  return user;
}

/** One user as the single-user routes show it: the record, the token summary and the groups (with where each membership came from). */
async function fullUserView(kit: AdminKit, upn: string) {
  const user = await loadUser(kit, upn);
  return { ...userView(user), groups: await groups.groupsOf(kit.db, upn) };
}

export function registerUserRoutes(routes: ApiRoutes, kit: AdminKit): void {
  routes.add(
    'post',
    '/api/v1/users',
    async (req, res) => {
      const input = parseBody(CreateInput, req);
      const upn = await kit.upn(input.username);
      const created = await users.create(kit.db, {
        upn,
        displayName: input.displayName ?? null,
        enabled: input.enabled,
        email: input.email ?? null,
        phone: input.phone ?? null,
      });
      if (!created) throw conflict('username', 'a user with this name already exists');
      await kit.audit('user.create', upn, { enabled: input.enabled });
      kit.configChanged({ kind: 'users', key: upn });
      res.status(201).json(await fullUserView(kit, upn));
    },
    {
      permission: 'users.write',
      summary: 'Create a user',
      request: CreateInput,
      status: 201,
      responses: { 409: 'A user with this name exists' },
    },
  );

  routes.add(
    'get',
    '/api/v1/users',
    async (req, res) => {
      const query = parseQuery(ListQuery, req);
      const search = query.search?.trim().toLowerCase();
      const page = await users.list(kit.db, {
        limit: query.limit,
        ...(query.after ? { after: query.after.trim().toLowerCase() } : {}),
        ...(search ? { search: likeLiteral(search) } : {}),
      });
      res.json({
        users: page.map(userView),
        next: page.length === query.limit ? page[page.length - 1]!.upn : null,
      });
    },
    { permission: 'users.read', summary: 'Users in name order, a page at a time', query: ListQuery },
  );

  routes.add(
    'get',
    '/api/v1/users/:username',
    async (req, res) => {
      const upn = await kit.upnParam(req);
      // The latest accept and reject, each one indexed lookup (auth_events_upn_at).
      const [view, lastAccept, lastReject] = await Promise.all([
        fullUserView(kit, upn),
        authStats.last(kit.db, upn, 'accept'),
        authStats.last(kit.db, upn, 'reject'),
      ]);
      res.json({ ...view, lastAccept, lastReject });
    },
    { permission: 'users.read', summary: 'One user, its token (never the seed), groups and last accept and reject' },
  );

  routes.add(
    'patch',
    '/api/v1/users/:username',
    async (req, res) => {
      const input = parseBody(PatchInput, req);
      if (Object.values(input).every((value) => value === undefined)) {
        throw badRequest('body', 'must change at least one of displayName, enabled, email, phone');
      }
      const upn = await kit.upnParam(req);
      const changes: { displayName?: string | null; enabled?: boolean; email?: string | null; phone?: string | null } = {};
      if (input.displayName !== undefined) changes.displayName = input.displayName;
      if (input.enabled !== undefined) changes.enabled = input.enabled;
      if (input.email !== undefined) changes.email = input.email;
      if (input.phone !== undefined) changes.phone = input.phone;
      if (!(await users.update(kit.db, upn, changes))) throw notFound('username', 'no such user');
      await kit.audit('user.update', upn, {
        changed: Object.keys(changes),
        ...(changes.enabled !== undefined ? { enabled: changes.enabled } : {}),
      });
      kit.configChanged({ kind: 'users', key: upn });
      res.json(await fullUserView(kit, upn));
    },
    {
      permission: 'users.write',
      summary: 'Change a user: display name, enabled, email address and phone number (for fallback codes)',
      request: PatchInput,
    },
  );

  routes.add(
    'delete',
    '/api/v1/users/:username',
    async (req, res) => {
      const upn = await kit.upnParam(req);
      if (!(await users.remove(kit.db, upn))) throw notFound('username', 'no such user');
      await kit.audit('user.delete', upn);
      kit.configChanged({ kind: 'users', key: upn });
      res.status(204).end();
    },
    { permission: 'users.write', summary: 'Delete a user and its token', status: 204 },
  );
}
