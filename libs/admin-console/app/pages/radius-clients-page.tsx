/**
 * RADIUS clients (the NASes allowed to ask): the list, adding one, changing its name, shared
 * secret, Message-Authenticator requirement and code entry mode, and deleting one after confirming.
 * The shared secret is write-only: shown while typed, cleared once saved, never returned by the API.
 */
import { useEffect, useState } from 'preact/hooks';
import { type ApiFailure, api } from '../api-client.js';
import { CheckboxField, SelectField } from '../components/choice-fields.js';
import { Notice } from '../components/notice.js';
import { formLevel, TextField } from '../components/text-field.js';
import { formatTime } from '../format.js';
import { can, type Session } from '../session.js';

export interface RadiusClientView {
  id: string;
  name: string;
  address: string;
  requireMessageAuthenticator: boolean;
  otpMode: 'append' | 'challenge' | 'auto';
  createdAt: string;
}

export const OTP_MODES = [
  { value: 'append', label: 'append: the password with the code typed after it, in one field' },
  { value: 'challenge', label: 'challenge: the password first, then the code when the NAS asks for it' },
  { value: 'auto', label: 'auto: either of the two, told apart by whether the typed value ends with a valid code' },
];

const FIELDS = ['name', 'address', 'secret', 'requireMessageAuthenticator', 'otpMode'];

export function RadiusClientsPage(props: { session: Session }) {
  const [clients, setClients] = useState<RadiusClientView[] | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [done, setDone] = useState<string | null>(null);
  // The client being edited ('new' for the add form) and the one whose deletion awaits confirmation.
  const [editing, setEditing] = useState<RadiusClientView | 'new' | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const writable = can(props.session, 'admin');

  const load = () =>
    api<{ clients: RadiusClientView[] }>('GET', '/api/v1/radius-clients').then(
      (answer) => setClients(answer.clients),
      (error: ApiFailure) => setFailure(error),
    );
  useEffect(() => {
    void load();
  }, []);

  const saved = async (what: string) => {
    setEditing(null);
    setDone(what);
    await load();
  };
  const remove = async (client: RadiusClientView) => {
    setFailure(null);
    try {
      await api('DELETE', `/api/v1/radius-clients/${encodeURIComponent(client.id)}`);
      setDeleting(null);
      setDone(`${client.name} is deleted.`);
      await load();
    } catch (error) {
      setFailure(error as ApiFailure);
    }
  };

  return (
    <section>
      <h1>RADIUS clients</h1>
      {failure && <Notice kind="error">{failure.message}</Notice>}
      {done && <Notice kind="success">{done}</Notice>}
      {writable && editing === null && (
        <div class="actions">
          <button
            type="button"
            onClick={() => {
              setDone(null);
              setEditing('new');
            }}
          >
            Add a RADIUS client
          </button>
        </div>
      )}
      {writable && editing !== null && (
        <ClientForm
          key={editing === 'new' ? 'new' : editing.id}
          client={editing === 'new' ? null : editing}
          onSaved={saved}
          onCancel={() => setEditing(null)}
        />
      )}
      <section class="panel">
        <h2>Clients</h2>
        {clients && clients.length === 0 && <p class="empty">No RADIUS client yet: no NAS may ask.</p>}
        {clients && clients.length > 0 && (
          <table>
            <caption>{clients.length} RADIUS client(s)</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Address</th>
                <th scope="col">Message-Authenticator</th>
                <th scope="col">Code entry</th>
                <th scope="col">Added</th>
                {writable && <th scope="col">Change</th>}
              </tr>
            </thead>
            <tbody>
              {clients.map((c) => (
                <tr key={c.id}>
                  <td>{c.name}</td>
                  <td>
                    <code>{c.address}</code>
                  </td>
                  <td>{c.requireMessageAuthenticator ? 'required' : 'not required'}</td>
                  <td>{c.otpMode}</td>
                  <td>{formatTime(c.createdAt)}</td>
                  {writable && (
                    <td class="row-actions">
                      {deleting === c.id ? (
                        <>
                          <button type="button" class="danger" onClick={() => remove(c)}>
                            Delete {c.name} for good
                          </button>
                          <button type="button" class="secondary" onClick={() => setDeleting(null)}>
                            Keep {c.name}
                          </button>
                        </>
                      ) : (
                        <>
                          <button type="button" class="secondary" aria-label={`Edit ${c.name}`} onClick={() => setEditing(c)}>
                            Edit
                          </button>
                          <button type="button" class="danger" aria-label={`Delete ${c.name}`} onClick={() => setDeleting(c.id)}>
                            Delete
                          </button>
                        </>
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

function ClientForm(props: { client: RadiusClientView | null; onSaved: (what: string) => Promise<void>; onCancel: () => void }) {
  const existing = props.client;
  const [name, setName] = useState(existing?.name ?? '');
  const [address, setAddress] = useState(existing?.address ?? '');
  const [secret, setSecret] = useState('');
  const [requireMa, setRequireMa] = useState(existing?.requireMessageAuthenticator ?? true);
  const [otpMode, setOtpMode] = useState<string>(existing?.otpMode ?? 'append');
  const [failure, setFailure] = useState<ApiFailure | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setFailure(null);
    try {
      if (existing) {
        await api('PATCH', `/api/v1/radius-clients/${encodeURIComponent(existing.id)}`, {
          name,
          requireMessageAuthenticator: requireMa,
          otpMode,
          ...(secret ? { secret } : {}),
        });
      } else {
        await api('POST', '/api/v1/radius-clients', { name, address, secret, requireMessageAuthenticator: requireMa, otpMode });
      }
      setSecret('');
      await props.onSaved(existing ? `${name} is saved.` : `${name} is added.`);
    } catch (error) {
      setFailure(error as ApiFailure);
    }
  };
  const general = formLevel(failure, FIELDS);
  return (
    <section class="panel">
      <h2>{existing ? `Edit ${existing.name}` : 'Add a RADIUS client'}</h2>
      {general && <Notice kind="error">{general.message}</Notice>}
      <form onSubmit={submit} noValidate>
        <div class="inline-form">
          <TextField
            name="name"
            label="Name"
            value={name}
            onInput={setName}
            failure={failure}
            required
            hint="As the NAS sends it in NAS-Identifier, e.g. vpn-1"
          />
          {existing ? (
            <div class="field">
              <span class="field-label">Address</span>
              <code>{existing.address}</code>
            </div>
          ) : (
            <TextField
              name="address"
              label="Address or network"
              value={address}
              onInput={setAddress}
              failure={failure}
              required
              hint="An IP address or a CIDR, e.g. 192.0.2.10 or 10.0.0.0/24"
            />
          )}
          <TextField
            name="secret"
            label={existing ? 'New shared secret' : 'Shared secret'}
            value={secret}
            onInput={setSecret}
            failure={failure}
            required={!existing}
            hint={
              existing
                ? 'Leave empty to keep the current one. Never shown again once saved.'
                : 'At least 16 characters recommended. Never shown again once saved.'
            }
          />
        </div>
        <CheckboxField
          name="requireMessageAuthenticator"
          label="Require Message-Authenticator in every Access-Request"
          checked={requireMa}
          onChange={setRequireMa}
          failure={failure}
          hint="Keep on unless the NAS cannot send it: without it a forger can turn a reject into an accept (BlastRADIUS)."
        />
        <SelectField
          name="otpMode"
          label="How users enter their code"
          value={otpMode}
          options={OTP_MODES}
          onChange={setOtpMode}
          failure={failure}
        />
        <div class="actions">
          <button type="submit">{existing ? 'Save client' : 'Add client'}</button>
          <button type="button" class="secondary" onClick={props.onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
