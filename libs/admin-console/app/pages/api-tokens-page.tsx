/**
 * API tokens for scripts: the list (name, role, dates; never a value), creating one with a role
 * (its value shown once, until "Done"), and revoking one after confirming. An auditor sees the list only.
 */
import { useEffect, useState } from 'preact/hooks';
import { type ApiFailure, api } from '../api-client.js';
import { SelectField } from '../components/choice-fields.js';
import { Notice } from '../components/notice.js';
import { formLevel, TextField } from '../components/text-field.js';
import { formatTime } from '../format.js';
import { can, type Session } from '../session.js';
import { ROLE_OPTIONS } from './admins-page.js';

interface TokenView {
  name: string;
  role: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export function ApiTokensPage(props: { session: Session }) {
  const [list, setList] = useState<TokenView[] | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [revoking, setRevoking] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const writable = can(props.session, 'admin');

  const load = () =>
    api<{ apiTokens: TokenView[] }>('GET', '/api/v1/api-tokens').then(
      (answer) => setList(answer.apiTokens),
      (error: ApiFailure) => setFailure(error),
    );
  useEffect(() => {
    void load();
  }, []);

  const revoke = async (name: string) => {
    setFailure(null);
    setDone(null);
    try {
      await api('DELETE', `/api/v1/api-tokens/${encodeURIComponent(name)}`);
      setDone(`${name} is revoked.`);
    } catch (error) {
      setFailure(error as ApiFailure);
    }
    setRevoking(null);
    await load();
  };

  return (
    <section>
      <h1>API tokens</h1>
      {writable &&
        (created ? (
          <section class="panel">
            <h2>Token {created.name}</h2>
            <Notice kind="success">Copy the token now: it is shown only this once.</Notice>
            <p>
              <code class="secret">{created.token}</code>
            </p>
            <button type="button" class="secondary" onClick={() => setCreated(null)}>
              Done, hide the token
            </button>
          </section>
        ) : (
          <CreateTokenForm
            onCreated={async (answer) => {
              setCreated(answer);
              await load();
            }}
          />
        ))}
      <section class="panel">
        <h2>Tokens</h2>
        {failure && <Notice kind="error">{failure.message}</Notice>}
        {done && <Notice kind="success">{done}</Notice>}
        {list && list.length === 0 && <p class="empty">No API token yet.</p>}
        {list && list.length > 0 && (
          <table>
            <caption>{list.length} API token(s)</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                {writable && <th scope="col">Change</th>}
              </tr>
            </thead>
            <tbody>
              {list.map((t) => (
                <tr key={t.name}>
                  <td>{t.name}</td>
                  <td>{t.role}</td>
                  <td>{formatTime(t.createdAt)}</td>
                  <td>{formatTime(t.lastUsedAt)}</td>
                  {writable && (
                    <td class="row-actions">
                      {revoking === t.name ? (
                        <>
                          <button type="button" class="danger" onClick={() => revoke(t.name)}>
                            Revoke {t.name} for good
                          </button>
                          <button type="button" class="secondary" onClick={() => setRevoking(null)}>
                            Keep {t.name}
                          </button>
                        </>
                      ) : (
                        <button type="button" class="danger" onClick={() => setRevoking(t.name)}>
                          Revoke {t.name}
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

function CreateTokenForm(props: { onCreated: (answer: { name: string; token: string }) => Promise<void> }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState('auditor');
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setFailure(null);
    try {
      const answer = await api<{ name: string; token: string }>('POST', '/api/v1/api-tokens', { name, role });
      setName('');
      await props.onCreated(answer);
    } catch (error) {
      setFailure(error as ApiFailure);
    }
  };
  const general = formLevel(failure, ['name', 'role']);
  return (
    <section class="panel">
      <h2>Create an API token</h2>
      {general && <Notice kind="error">{general.message}</Notice>}
      <form onSubmit={submit} noValidate class="inline-form">
        <TextField name="name" label="Token name" value={name} onInput={setName} failure={failure} required hint="e.g. backup-script" />
        <SelectField name="role" label="Role" value={role} options={ROLE_OPTIONS} onChange={setRole} failure={failure} />
        <button type="submit">Create token</button>
      </form>
    </section>
  );
}
