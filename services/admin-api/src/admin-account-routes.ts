/**
 * `/api/v1/admins`: the console's accounts (role admin, or an admin-role API token; the default
 * permission). Passwords are checked by the policy (400 naming `password`), hashed with scrypt,
 * never returned; the last enabled admin cannot be deleted, disabled or demoted (409). A new
 * password, role or a disable ends the account's sessions.
 */
import { z } from 'zod';
import { adminAccounts, LAST_ADMIN, type AdminAccountRecord } from '@tollgate/store';
import { badRequest, conflict, notFound } from './api-error.js';
import type { AdminKit } from './admin-kit.js';
import { parseBody, type ApiRoutes } from './api-routes.js';
import { hashPassword } from './password-hash.js';
import { passwordProblem } from './password-policy.js';
import { ROLES } from './permissions.js';

export const accountName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._@-]{0,63}$/, 'must be 1 to 64 lower-case letters, digits, dots, dashes, underscores or @');
const role = z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` });
const password = z.string();

const CreateInput = z.strictObject({ username: accountName, password, role });
const PatchInput = z.strictObject({ password: password.optional(), role: role.optional(), disabled: z.boolean().optional() });

export const accountView = (a: AdminAccountRecord) => ({
  username: a.username,
  role: a.role,
  hasTotp: a.totpSeedSealed !== null,
  disabled: a.disabled,
  createdAt: a.createdAt,
  lastSignInAt: a.lastSignInAt,
});

function checkPassword(value: string, username: string): void {
  const problem = passwordProblem(value, username);
  if (problem) throw badRequest('password', problem);
}

const lastAdmin = () => conflict('username', 'the last enabled admin account cannot be deleted, disabled or given another role');

export function registerAdminAccountRoutes(routes: ApiRoutes, kit: AdminKit): void {
  routes.add(
    'post',
    '/api/v1/admins',
    async (req, res) => {
      const input = parseBody(CreateInput, req);
      checkPassword(input.password, input.username);
      const passwordHash = await hashPassword(input.password);
      if (!(await adminAccounts.create(kit.db, { username: input.username, passwordHash, role: input.role }))) {
        throw conflict('username', 'an admin account with this name already exists');
      }
      await kit.audit('admin.create', input.username, { role: input.role });
      res.status(201).json(accountView((await adminAccounts.get(kit.db, input.username))!));
    },
    { summary: 'Create an admin account', request: CreateInput, status: 201, responses: { 409: 'An account with this name exists' } },
  );

  routes.add(
    'get',
    '/api/v1/admins',
    async (_req, res) => {
      res.json({ admins: (await adminAccounts.list(kit.db)).map(accountView) });
    },
    { summary: 'The admin accounts (never a password hash)' },
  );

  routes.add(
    'get',
    '/api/v1/admins/:username',
    async (req, res) => {
      const account = await adminAccounts.get(kit.db, String(req.params.username ?? ''));
      if (!account) throw notFound('username', 'no such admin account');
      res.json(accountView(account));
    },
    { summary: 'One admin account' },
  );

  routes.add(
    'patch',
    '/api/v1/admins/:username',
    async (req, res) => {
      const input = parseBody(PatchInput, req);
      if (input.password === undefined && input.role === undefined && input.disabled === undefined) {
        throw badRequest('body', 'must change at least one of password, role, disabled');
      }
      const username = String(req.params.username ?? '');
      if (input.password !== undefined) checkPassword(input.password, username);
      const changes: { passwordHash?: string; role?: string; disabled?: boolean } = {};
      if (input.password !== undefined) changes.passwordHash = await hashPassword(input.password);
      if (input.role !== undefined) changes.role = input.role;
      if (input.disabled !== undefined) changes.disabled = input.disabled;
      const result = await kit.db.transaction((tx) => adminAccounts.update(tx, username, changes));
      if (result === LAST_ADMIN) throw lastAdmin();
      if (!result) throw notFound('username', 'no such admin account');
      await kit.audit('admin.update', username, {
        changed: Object.keys(input),
        ...(input.role !== undefined ? { role: input.role } : {}),
        ...(input.disabled !== undefined ? { disabled: input.disabled } : {}),
      });
      res.json(accountView((await adminAccounts.get(kit.db, username))!));
    },
    {
      summary: 'Change an admin account: password, role, disabled',
      request: PatchInput,
      responses: { 409: 'The last enabled admin cannot lose the role or be disabled' },
    },
  );

  routes.add(
    'delete',
    '/api/v1/admins/:username',
    async (req, res) => {
      const username = String(req.params.username ?? '');
      const result = await kit.db.transaction((tx) => adminAccounts.remove(tx, username));
      if (result === LAST_ADMIN) throw lastAdmin();
      if (!result) throw notFound('username', 'no such admin account');
      await kit.audit('admin.delete', username);
      res.status(204).end();
    },
    { summary: 'Delete an admin account', status: 204, responses: { 409: 'The last enabled admin cannot be deleted' } },
  );
}
