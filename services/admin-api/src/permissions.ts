/**
 * Who may do what in the admin API: three roles and one table from permission to the roles that
 * hold it. A route names its permission when it registers; a route that names none is admin-only
 * for writes and readable by admin and auditor (`defaultPermission`), so a new route is safe before
 * anyone decides more. Pure: the route x role test and the request guard read the same table.
 */
export const ROLES = ['admin', 'helpdesk', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  /** Everything not granted more widely: settings, RADIUS clients, groups and memberships, admin accounts, API tokens. */
  admin: ['admin'],
  /** Reading configuration (never a secret: every GET shows only whether one is set). */
  read: ['admin', 'auditor'],
  /** Reading users and their token state. */
  'users.read': ['admin', 'helpdesk', 'auditor'],
  /** Creating, changing, disabling and deleting users, enrolling, replacing or deleting a token, resetting a lockout. */
  'users.write': ['admin', 'helpdesk'],
  /** Reading groups, their policies and members (writes are `admin`: a membership can waive the second factor). */
  'groups.read': ['admin', 'helpdesk', 'auditor'],
  /** Reading the authentication log. */
  'auth-log.read': ['admin', 'helpdesk', 'auditor'],
  /** Reading the admin audit log. */
  'audit.read': ['admin', 'auditor'],
  /** The install's health: bus, database, service replicas (no secrets, no user data). */
  'status.read': ['admin', 'helpdesk', 'auditor'],
  /** One's own session: who am I, sign out. */
  self: ['admin', 'helpdesk', 'auditor'],
  /** Reading the API's own description (the OpenAPI document), which holds no secret. */
  'api-description.read': ['admin', 'helpdesk', 'auditor'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The permission of a route that declares none: reads for admin and auditor, writes for admin. */
export function defaultPermission(method: string): Permission {
  return method.toLowerCase() === 'get' ? 'read' : 'admin';
}

export function allowed(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** Every permission the role holds, in table order: what the console offers to it. */
export function permissionsOf(role: Role): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((permission) => allowed(role, permission));
}
