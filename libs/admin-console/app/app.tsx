/**
 * The console's shell: asks the API who is signed in (the session cookie is HttpOnly, so only the
 * API knows), shows the sign-in page or the navigation and the page for the current path.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, setCsrfToken, whenSignedOut } from './api-client.js';
import { NavBar } from './components/nav-bar.js';
import { Notice } from './components/notice.js';
import { AccountPage } from './pages/account-page.js';
import { DashboardPage } from './pages/dashboard-page.js';
import { NotAllowedPage, NotFoundPage } from './pages/not-allowed-page.js';
import { SettingsPage } from './pages/settings-page.js';
import { SignInPage } from './pages/sign-in-page.js';
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
  if (path === '/settings') return guarded(session, 'read', 'settings', () => <SettingsPage />);
  if (path === '/account') return <AccountPage session={session} />;
  return <NotFoundPage />;
}

function pageTitle(path: string): string {
  if (path === '/') return 'Dashboard';
  if (path.startsWith('/users/')) return 'User';
  if (path === '/users') return 'Users';
  if (path === '/settings') return 'Settings';
  if (path === '/account') return 'My account';
  return 'Tollgate';
}
