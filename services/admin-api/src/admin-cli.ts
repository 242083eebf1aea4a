/**
 * `tollgate admin create <username> --role <role> [--replace]`: creates a console account with a
 * password read from stdin, for the first account and for recovery (`--replace` sets a new
 * password and role on an existing account, enables it and ends its sessions). The launcher opens
 * the database (DATABASE_URL or the embedded data directory) and calls `createFirstAdmin`.
 */
import { TollgateError } from '@tollgate/contracts';
import { adminAccounts, type Db } from '@tollgate/store';
import { accountName } from './admin-account-routes.js';
import { hashPassword } from './password-hash.js';
import { passwordProblem } from './password-policy.js';
import { isRole, ROLES, type Role } from './permissions.js';

export class AdminCliError extends TollgateError<'usage' | 'password' | 'exists' | 'last_admin'> {}

export interface AdminCreateArgs {
  username: string;
  role: Role;
  replace: boolean;
}

export const ADMIN_USAGE = `tollgate admin create <username> --role <${ROLES.join('|')}> [--replace]   (password on stdin)`;

export function parseAdminCreateArgs(argv: string[]): AdminCreateArgs {
  const [verb, username, ...rest] = argv;
  if (verb !== 'create' || username === undefined || username.startsWith('-')) throw new AdminCliError('usage', `usage: ${ADMIN_USAGE}`);
  if (!accountName.safeParse(username).success) {
    throw new AdminCliError('usage', 'username: must be 1 to 64 lower-case letters, digits, dots, dashes, underscores or @');
  }
  let role: string | undefined;
  let replace = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--role') role = rest[++i];
    else if (arg?.startsWith('--role=')) role = arg.slice('--role='.length);
    else if (arg === '--replace') replace = true;
    else throw new AdminCliError('usage', `unknown argument '${String(arg)}'; usage: ${ADMIN_USAGE}`);
  }
  if (!isRole(role)) throw new AdminCliError('usage', `--role: must be one of ${ROLES.join(', ')}`);
  return { username, role, replace };
}

/** Creates (or with `replace`, resets) the account; returns what was done. The password never appears in an error. */
export async function createFirstAdmin(db: Db, args: AdminCreateArgs, password: string): Promise<'created' | 'replaced'> {
  const problem = passwordProblem(password, args.username);
  if (problem) throw new AdminCliError('password', `password: ${problem}`);
  const passwordHash = await hashPassword(password);
  if (await adminAccounts.create(db, { username: args.username, passwordHash, role: args.role })) return 'created';
  if (!args.replace) throw new AdminCliError('exists', `an account named ${args.username} exists; add --replace to set a new password`);
  const result = await db.transaction((tx) => adminAccounts.update(tx, args.username, { passwordHash, role: args.role, disabled: false }));
  if (result !== true) throw new AdminCliError('last_admin', 'the last enabled admin account cannot be given another role');
  return 'replaced';
}
