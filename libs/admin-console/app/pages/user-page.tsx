/**
 * One user: status, token, the latest accept and reject, the recent decisions, and for a role
 * that may change users: enable or disable, enrol an authenticator app (QR code shown once),
 * enter a hardware token's seed, reset a lockout, remove the token, set where fallback codes go,
 * issue and revoke self-service enrolment links (every role sees the links), delete the user.
 */
import { useEffect, useState } from 'preact/hooks';
import { type ApiFailure, api, userPath } from '../api-client.js';
import { type AuthEventView, AuthEventsTable } from '../components/auth-events-table.js';
import { Notice } from '../components/notice.js';
import { formatTime } from '../format.js';
import { navigate } from '../router.js';
import { can, type Session } from '../session.js';
import type { UserDetail } from '../user-types.js';
import { ContactPanel } from './contact-panel.js';
import { EnrolPanel } from './enrol-panel.js';
import { EnrollmentLinksPanel } from './enrollment-links-panel.js';

export function UserPage(props: { session: Session; upn: string }) {
  const [user, setUser] = useState<UserDetail | null>(null);
  const [events, setEvents] = useState<AuthEventView[]>([]);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const writable = can(props.session, 'users.write');

  const load = async () => {
    try {
      const [detail, log] = await Promise.all([
        api<UserDetail>('GET', userPath(props.upn)),
        api<{ events: AuthEventView[] }>('GET', `/api/v1/auth-events?limit=20&username=${encodeURIComponent(props.upn)}`),
      ]);
      setUser(detail);
      setEvents(log.events);
    } catch (error) {
      setFailure(error as ApiFailure);
    }
  };
  useEffect(() => {
    void load();
  }, [props.upn]);

  const act = async (what: string, run: () => Promise<unknown>) => {
    setFailure(null);
    setDone(null);
    try {
      await run();
      setDone(what);
      await load();
    } catch (error) {
      setFailure(error as ApiFailure);
    }
  };

  if (!user) {
    return (
      <section>
        <h1>{props.upn}</h1>
        {failure ? <Notice kind="error">{failure.message}</Notice> : <p>Loading…</p>}
      </section>
    );
  }
  return (
    <section>
      <h1>{user.upn}</h1>
      {failure && <Notice kind="error">{failure.message}</Notice>}
      {done && <Notice kind="success">{done}</Notice>}
      <section class="panel">
        <h2>Account</h2>
        <dl class="facts">
          <div>
            <dt>Display name</dt>
            <dd>{user.displayName ?? '—'}</dd>
          </div>
          <div>
            <dt>Fallback codes to</dt>
            <dd>{[user.email, user.phone].filter(Boolean).join(', ') || '—'}</dd>
          </div>
          <div>
            <dt>Status</dt>
            <dd>{user.enabled ? 'enabled' : 'disabled'}</dd>
          </div>
          <div>
            <dt>Second factor</dt>
            <dd>
              {user.token
                ? `${user.token.source === 'hardware' ? 'hardware token' : 'authenticator app'}, ${user.token.digits} digits every ${user.token.period} s (${user.token.algorithm})${user.token.serial ? `, serial ${user.token.serial}` : ''}, since ${formatTime(user.token.createdAt)}`
                : 'not enrolled'}
            </dd>
          </div>
          <div>
            <dt>Last successful authentication</dt>
            <dd>{user.lastAccept ? `${formatTime(user.lastAccept.at)} via ${user.lastAccept.clientName}` : 'never'}</dd>
          </div>
          <div>
            <dt>Last failed authentication</dt>
            <dd>
              {user.lastReject ? `${formatTime(user.lastReject.at)} via ${user.lastReject.clientName}: ${user.lastReject.reason}` : 'never'}
            </dd>
          </div>
        </dl>
        {writable && (
          <div class="actions">
            <button
              type="button"
              class="secondary"
              onClick={() =>
                act(user.enabled ? 'The user is disabled.' : 'The user is enabled.', () =>
                  api('PATCH', userPath(user.upn), { enabled: !user.enabled }),
                )
              }
            >
              {user.enabled ? 'Disable user' : 'Enable user'}
            </button>
            <button
              type="button"
              class="secondary"
              onClick={() => act('The lockout is reset.', () => api('DELETE', userPath(user.upn, '/lockout')))}
            >
              Reset lockout
            </button>
            {user.token && (
              <button
                type="button"
                class="secondary"
                onClick={() => act('The token is removed.', () => api('DELETE', userPath(user.upn, '/totp')))}
              >
                Remove token
              </button>
            )}
            {confirmDelete ? (
              <>
                <button
                  type="button"
                  class="danger"
                  onClick={async () => {
                    try {
                      await api('DELETE', userPath(user.upn));
                      navigate('/users');
                    } catch (error) {
                      setFailure(error as ApiFailure);
                    }
                  }}
                >
                  Delete {user.upn} for good
                </button>
                <button type="button" class="secondary" onClick={() => setConfirmDelete(false)}>
                  Keep the user
                </button>
              </>
            ) : (
              <button type="button" class="danger" onClick={() => setConfirmDelete(true)}>
                Delete user
              </button>
            )}
          </div>
        )}
      </section>
      {writable && <EnrolPanel upn={user.upn} enrolled={user.token !== null} onChanged={load} />}
      <EnrollmentLinksPanel upn={user.upn} email={user.email} pendingEnrollment={user.pendingEnrollment === true} writable={writable} />
      {writable && <ContactPanel upn={user.upn} email={user.email} phone={user.phone} onChanged={load} />}
      <section class="panel">
        <h2>Recent authentications</h2>
        <AuthEventsTable events={events} caption={`The latest ${events.length} decisions for ${user.upn}`} />
      </section>
    </section>
  );
}
