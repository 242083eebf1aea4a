/**
 * The console's shell: asks the API who is signed in (the session cookie is HttpOnly, so only the
 * API knows), shows the sign-in page or the navigation and the page for the current path.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, setCsrfToken, whenSignedOut } from './api-client.js';
import { NavBar } from './components/nav-bar.js';
import { Notice } from './components/notice.js';
import { AccountPage } from './pages/account-page.js';
import { AdminsPage } from './pages/admins-page.js';
import { ApiTokensPage } from './pages/api-tokens-page.js';
import { AuditLogPage } from './pages/audit-log-page.js';
import { AuthLogPage } from './pages/auth-log-page.js';
import { DashboardPage } from './pages/dashboard-page.js';
import { EntraSettingsPage } from './pages/entra-settings-page.js';
import { GroupPage } from './pages/group-page.js';
import { GroupsPage } from './pages/groups-page.js';
import { NotAllowedPage, NotFoundPage } from './pages/not-allowed-page.js';
import { PolicyPage } from './pages/policy-page.js';
import { PortalSettingsPage } from './pages/portal-settings-page.js';
import { RadiusClientsPage } from './pages/radius-clients-page.js';
import { SignInPage } from './pages/sign-in-page.js';
import { TokenImportPage } from './pages/token-import-page.js';
import { UserPage } from './pages/user-page.js';
import { UsersPage } from './pages/users-page.js';
import { navigate, usePath } from './router.js';
import { can, type Permission, type Session } from './session.js';

type State = { kind: 'loading' } | { kind: 'signed-out'; notice?: string } | { kind: 'signed-in'; session: Session };

export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const path = usePath();

  const signedIn = (session: Session) => {
    setCsrfToken(session.csrfToken);
    setState({ kind: 'signed-in', session });
  };
  const signedOut = (notice?: string) => {
    setCsrfToken(null);
    setState(notice ? { kind: 'signed-out', notice } : { kind: 'signed-out' });
  };

  useEffect(() => {
    whenSignedOut(() => signedOut('Your session has ended. Sign in again.'));
    api<Session>('GET', '/api/v1/session').then(signedIn, () => signedOut());
  }, []);

  useEffect(() => {
    document.title = `${pageTitle(path)} · Tollgate console`;
  }, [path, state.kind]);

  if (state.kind === 'loading') return <main class="loading">Loading…</main>;
  if (state.kind === 'signed-out') {
    return <SignInPage notice={state.notice} onSignedIn={signedIn} />;
  }
  const session = state.session;
  const signOut = async () => {
    await api('DELETE', '/api/v1/session').catch(() => undefined);
    signedOut('You have signed out.');
    navigate('/');
  };
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <NavBar session={session} path={path} onSignOut={signOut} />
      <main id="main">{page(path, session)}</main>
    </>
  );
}

function guarded(session: Session, permission: Permission, what: string, render: () => preact.JSX.Element) {
  return can(session, permission) ? render() : <NotAllowedPage role={session.role} what={what} />;
}

function page(path: string, session: Session) {
  if (path === '/') {
    return can(session, 'auth-log.read') ? <DashboardPage session={session} /> : <Notice kind="info">Choose a page above.</Notice>;
  }
  if (path === '/users') return guarded(session, 'users.read', 'users', () => <UsersPage session={session} />);
  const user = /^\/users\/([^/]+)$/.exec(path);
  if (user) return guarded(session, 'users.read', 'users', () => <UserPage session={session} upn={decodeURIComponent(user[1]!)} />);
  if (path === '/groups') return guarded(session, 'groups.read', 'groups', () => <GroupsPage session={session} />);
  const group = /^\/groups\/([^/]+)$/.exec(path);
  if (group) return guarded(session, 'groups.read', 'groups', () => <GroupPage session={session} name={decodeURIComponent(group[1]!)} />);
  if (path === '/auth-log') return guarded(session, 'auth-log.read', 'the auth log', () => <AuthLogPage />);
  if (path === '/radius-clients') return guarded(session, 'read', 'RADIUS clients', () => <RadiusClientsPage session={session} />);
  if (path === '/settings' || path === '/settings/entra')
    return guarded(session, 'read', 'settings', () => <EntraSettingsPage session={session} />);
  if (path === '/settings/policy') return guarded(session, 'read', 'settings', () => <PolicyPage session={session} />);
  if (path === '/settings/portal') return guarded(session, 'read', 'settings', () => <PortalSettingsPage session={session} />);
  if (path === '/token-import') return guarded(session, 'admin', 'token import', () => <TokenImportPage />);
  if (path === '/audit-log') return guarded(session, 'audit.read', 'the audit log', () => <AuditLogPage />);
  if (path === '/admins') return guarded(session, 'read', 'admin accounts', () => <AdminsPage session={session} />);
  if (path === '/api-tokens') return guarded(session, 'read', 'API tokens', () => <ApiTokensPage session={session} />);
  if (path === '/account') return <AccountPage session={session} />;
  return <NotFoundPage />;
}

function pageTitle(path: string): string {
  if (path === '/') return 'Dashboard';
  if (path.startsWith('/users/')) return 'User';
  if (path === '/users') return 'Users';
  if (path.startsWith('/groups/')) return 'Group';
  if (path === '/groups') return 'Groups';
  if (path === '/auth-log') return 'Auth log';
  if (path === '/radius-clients') return 'RADIUS clients';
  if (path === '/settings' || path === '/settings/entra') return 'Entra ID';
  if (path === '/settings/policy') return 'Policy';
  if (path === '/settings/portal') return 'Self-service portal';
  if (path === '/token-import') return 'Token import';
  if (path === '/audit-log') return 'Audit log';
  if (path === '/admins') return 'Admin accounts';
  if (path === '/api-tokens') return 'API tokens';
  if (path === '/account') return 'My account';
  return 'Tollgate';
}
