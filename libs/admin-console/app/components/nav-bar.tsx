/** The console's navigation: only the pages the signed-in role may use, then who is signed in and sign-out. */
import { followLink } from '../router.js';
import { can, type Permission, type Session } from '../session.js';

const PAGES: { href: string; label: string; permission: Permission }[] = [
  { href: '/', label: 'Dashboard', permission: 'auth-log.read' },
  { href: '/users', label: 'Users', permission: 'users.read' },
  { href: '/groups', label: 'Groups', permission: 'groups.read' },
  { href: '/auth-log', label: 'Auth log', permission: 'auth-log.read' },
  { href: '/radius-clients', label: 'RADIUS clients', permission: 'read' },
  { href: '/settings/entra', label: 'Entra ID', permission: 'read' },
  { href: '/settings/policy', label: 'Policy', permission: 'read' },
  { href: '/settings/portal', label: 'Self-service portal', permission: 'read' },
  { href: '/token-import', label: 'Token import', permission: 'admin' },
  { href: '/audit-log', label: 'Audit log', permission: 'audit.read' },
  { href: '/admins', label: 'Admins', permission: 'read' },
  { href: '/api-tokens', label: 'API tokens', permission: 'read' },
];

export function NavBar(props: { session: Session; path: string; onSignOut: () => void }) {
  const current = (href: string) => (href === '/' ? props.path === '/' : props.path.startsWith(href));
  return (
    <header class="top">
      <nav aria-label="Main">
        <span class="brand">Tollgate</span>
        <ul>
          {PAGES.filter((p) => can(props.session, p.permission)).map((p) => (
            <li key={p.href}>
              <a href={p.href} aria-current={current(p.href) ? 'page' : undefined} onClick={(e) => followLink(e, p.href)}>
                {p.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div class="who">
        <a href="/account" aria-current={props.path === '/account' ? 'page' : undefined} onClick={(e) => followLink(e, '/account')}>
          {props.session.username} <span class="role">({props.session.role})</span>
        </a>
        <button type="button" class="secondary" onClick={props.onSignOut}>
          Sign out
        </button>
      </div>
    </header>
  );
}
