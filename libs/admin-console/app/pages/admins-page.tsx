/**
 * Console accounts: the list (role, own TOTP, disabled, last sign-in), adding one with a role,
 * changing its role, disabling or enabling it, and deleting it after confirming. The API keeps the
 * last enabled admin (409 shown above the list); an auditor sees the list only.
 */
import { useEffect, useState } from 'preact/hooks';
import { type ApiFailure, api } from '../api-client.js';
import { SelectField } from '../components/choice-fields.js';
import { Notice } from '../components/notice.js';
import { formLevel, TextField } from '../components/text-field.js';
import { formatTime } from '../format.js';
import { can, type Session } from '../session.js';

interface AdminView {
  username: string;
  role: 'admin' | 'helpdesk' | 'auditor';
  hasTotp: boolean;
  disabled: boolean;
  createdAt: string;
  lastSignInAt: string | null;
}

export const ROLE_OPTIONS = [
  { value: 'admin', label: 'admin: everything' },
  { value: 'helpdesk', label: 'helpdesk: users and the auth log' },
  { value: 'auditor', label: 'auditor: reads everything, changes nothing' },
];

const adminPath = (username: string) => `/api/v1/admins/${encodeURIComponent(username)}`;

export function AdminsPage(props: { session: Session }) {
  const [admins, setAdmins] = useState<AdminView[] | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const writable = can(props.session, 'admin');

  const load = () =>
    api<{ admins: AdminView[] }>('GET', '/api/v1/admins').then(
      (answer) => setAdmins(answer.admins),
      (error: ApiFailure) => setFailure(error),
    );
  useEffect(() => {
    void load();
  }, []);

  const act = async (what: string, run: () => Promise<unknown>) => {
    setFailure(null);
    setDone(null);
    try {
      await run();
      setDone(what);
    } catch (error) {
      setFailure(error as ApiFailure);
    }
    setDeleting(null);
    await load();
  };

  return (
    <section>
      <h1>Admin accounts</h1>
      {writable && <AddAdminForm onAdded={(name) => act(`${name} is added.`, async () => undefined)} />}
      <section class="panel">
        <h2>Accounts</h2>
        {failure && <Notice kind="error">{failure.message}</Notice>}
        {done && <Notice kind="success">{done}</Notice>}
        {admins && (
          <table>
            <caption>{admins.length} console account(s)</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Own TOTP</th>
                <th scope="col">Status</th>
                <th scope="col">Last sign-in</th>
                {writable && <th scope="col">Change</th>}
              </tr>
            </thead>
            <tbody>
              {admins.map((a) => (
                <tr key={a.username}>
                  <td>{a.username}</td>
                  <td>
                    {writable ? (
                      <select
                        class="inline-select"
                        aria-label={`Role of ${a.username}`}
                        value={a.role}
                        onChange={(e) => {
                          const role = (e.currentTarget as HTMLSelectElement).value;
                          void act(`${a.username} is now ${role}.`, () => api('PATCH', adminPath(a.username), { role }));
                        }}
                      >
                        {ROLE_OPTIONS.map((o) => (
                          <option key={o.value} value={o.value}>
                            {o.value}
                          </option>
                        ))}
                      </select>
                    ) : (
                      a.role
                    )}
                  </td>
                  <td>{a.hasTotp ? 'yes' : 'no'}</td>
                  <td>{a.disabled ? 'disabled' : 'enabled'}</td>
                  <td>{formatTime(a.lastSignInAt)}</td>
                  {writable && (
                    <td class="row-actions">
                      <button
                        type="button"
                        class="secondary"
                        onClick={() =>
                          act(`${a.username} is ${a.disabled ? 'enabled' : 'disabled'}.`, () =>
                            api('PATCH', adminPath(a.username), { disabled: !a.disabled }),
                          )
                        }
                      >
                        {a.disabled ? `Enable ${a.username}` : `Disable ${a.username}`}
                      </button>
                      {deleting === a.username ? (
                        <>
                          <button
                            type="button"
                            class="danger"
                            onClick={() => act(`${a.username} is deleted.`, () => api('DELETE', adminPath(a.username)))}
                          >
                            Delete {a.username} for good
                          </button>
                          <button type="button" class="secondary" onClick={() => setDeleting(null)}>
                            Keep {a.username}
                          </button>
                        </>
                      ) : (
                        <button type="button" class="danger" onClick={() => setDeleting(a.username)}>
                          Delete {a.username}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </section>
  );
}

function AddAdminForm(props: { onAdded: (name: string) => Promise<void> }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState('helpdesk');
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setFailure(null);
    try {
      await api('POST', '/api/v1/admins', { username, password, role });
      setUsername('');
      setPassword('');
      await props.onAdded(username);
    } catch (error) {
      setFailure(error as ApiFailure);
    }
  };
  const general = formLevel(failure, ['username', 'password', 'role']);
  return (
    <section class="panel">
      <h2>Add an admin account</h2>
      {general && <Notice kind="error">{general.message}</Notice>}
      <form onSubmit={submit} noValidate class="inline-form">
        <TextField name="username" label="Account name" value={username} onInput={setUsername} failure={failure} required />
        <TextField
          name="password"
          label="Password"
          type="password"
          autoComplete="new-password"
          value={password}
          onInput={setPassword}
          failure={failure}
          required
        />
        <SelectField name="role" label="Role" value={role} options={ROLE_OPTIONS} onChange={setRole} failure={failure} />
        <button type="submit">Add account</button>
      </form>
    </section>
  );
}
