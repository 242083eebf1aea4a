/** Who is signed in and what their role may do: the API's answer to `GET|POST /api/v1/session`. */
export interface Session {
  username: string;
  role: 'admin' | 'helpdesk' | 'auditor';
  permissions: string[];
  csrfToken: string | null;
}

export type Permission =
  | 'admin'
  | 'read'
  | 'users.read'
  | 'users.write'
  | 'groups.read'
  | 'auth-log.read'
  | 'audit.read'
  | 'status.read'
  | 'self';

export const can = (session: Session, permission: Permission): boolean => session.permissions.includes(permission);
