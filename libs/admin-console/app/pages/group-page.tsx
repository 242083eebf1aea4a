/**
 * One group: its policy (reply attributes, the RADIUS clients its members may use, and the
 * exemption from the second factor, with a warning that it weakens security) and its members
 * (where each membership came from; those made here can be removed here). Writes are an
 * admin's; other roles see the policy with every field locked and the members without buttons.
 */
import { useEffect, useState } from 'preact/hooks';
import { type ApiFailure, api } from '../api-client.js';
import { CheckboxField } from '../components/choice-fields.js';
import { Notice } from '../components/notice.js';
import { formLevel, TextField } from '../components/text-field.js';
import { formatTime } from '../format.js';
import { followLink, navigate } from '../router.js';
import { can, type Session } from '../session.js';
import type { GroupView } from './groups-page.js';

interface GroupDetail extends GroupView {
  members: { upn: string; source: string; addedAt: string }[];
}

const groupApi = (name: string, rest = '') => `/api/v1/groups/${encodeURIComponent(name)}${rest}`;

export const MFA_EXEMPT_HINT =
  'Members then sign in with their password alone, without a second factor. This weakens security: keep it to service accounts that cannot use a code.';

export function GroupPage(props: { session: Session; name: string }) {
  const [group, setGroup] = useState<GroupDetail | null>(null);
  const [clients, setClients] = useState<string[]>([]);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  // Kept here: the policy form starts afresh from what was stored after each save.
  const [policySaved, setPolicySaved] = useState(false);
  const writable = can(props.session, 'admin');

  const load = async () => {
    try {
      setGroup(await api<GroupDetail>('GET', groupApi(props.name)));
    } catch (error) {
      setFailure(error as ApiFailure);
    }
  };
  useEffect(() => {
    void load();
    // The names to choose from; a role that may not list clients still sees the group's own.
    if (writable) {
      api<{ clients: { name: string }[] }>('GET', '/api/v1/radius-clients').then(
        (answer) => setClients(answer.clients.map((c) => c.name)),
        () => undefined,
      );
    }
  }, [props.name]);

  if (!group) {
    return (
      <section>
        <h1>{props.name}</h1>
        {failure ? <Notice kind="error">{failure.message}</Notice> : <p>Loading…</p>}
      </section>
    );
  }
  return (
    <section>
      <h1>{group.name}</h1>
      {group.description && <p>{group.description}</p>}
      {failure && <Notice kind="error">{failure.message}</Notice>}
      {group.warning && <Notice kind="error">Warning: {group.warning}.</Notice>}
      <PolicyForm
        key={group.updatedAt}
        group={group}
        clients={clients}
        writable={writable}
        saved={policySaved}
        onSaving={() => setPolicySaved(false)}
        onSaved={async () => {
          setPolicySaved(true);
          await load();
        }}
      />
      <MembersPanel group={group} writable={writable} onChanged={load} />
      {writable && (
        <section class="panel">
          <h2>Delete the group</h2>
          {confirmDelete ? (
            <div class="actions">
              <button
                type="button"
                class="danger"
                onClick={async () => {
                  try {
                    await api('DELETE', groupApi(group.name));
                    navigate('/groups');
                  } catch (error) {
                    setFailure(error as ApiFailure);
                  }
                }}
              >
                Delete {group.name} for good
              </button>
              <button type="button" class="secondary" onClick={() => setConfirmDelete(false)}>
                Keep the group
              </button>
            </div>
          ) : (
            <button type="button" class="danger" onClick={() => setConfirmDelete(true)}>
              Delete group
            </button>
          )}
        </section>
      )}
    </section>
  );
}

function PolicyForm(props: {
  group: GroupDetail;
  clients: string[];
  writable: boolean;
  saved: boolean;
  onSaving: () => void;
  onSaved: () => Promise<void>;
}) {
  const g = props.group;
  const [attributes, setAttributes] = useState(g.replyAttributes.map((a) => ({ name: a.name, value: String(a.value) })));
  const [mfaExempt, setMfaExempt] = useState(g.mfaExempt);
  const [anyClient, setAnyClient] = useState(g.allowedClients === null);
  const [allowed, setAllowed] = useState<string[]>(g.allowedClients ?? []);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const choices = [...new Set([...props.clients, ...allowed])].sort();

  const submit = async (event: Event) => {
    event.preventDefault();
    setFailure(null);
    props.onSaving();
    try {
      await api('PUT', groupApi(g.name, '/policy'), {
        replyAttributes: attributes,
        mfaExempt,
        allowedClients: anyClient ? null : allowed,
      });
      await props.onSaved();
    } catch (error) {
      setFailure(error as ApiFailure);
    }
  };
  const setAttribute = (index: number, part: 'name' | 'value', text: string) =>
    setAttributes(attributes.map((a, i) => (i === index ? { ...a, [part]: text } : a)));
  const fields = [
    'mfaExempt',
    'allowedClients',
    ...attributes.flatMap((_, i) => [`replyAttributes.${i}.name`, `replyAttributes.${i}.value`]),
    ...allowed.map((_, i) => `allowedClients.${i}`),
  ];
  const general = formLevel(failure, fields);
  const clientProblem = failure?.field?.startsWith('allowedClients') ? failure : null;
  return (
    <section class="panel">
      <h2>Policy</h2>
      {general && <Notice kind="error">{general.message}</Notice>}
      {props.saved && <Notice kind="success">The group's policy is saved.</Notice>}
      <form onSubmit={submit} noValidate>
        <fieldset disabled={!props.writable}>
          <legend>Second factor</legend>
          <CheckboxField
            name="mfaExempt"
            label="Waive the second factor for members (password only)"
            checked={mfaExempt}
            onChange={setMfaExempt}
            failure={failure}
            hint={<strong class="warning-text">{MFA_EXEMPT_HINT}</strong>}
          />
        </fieldset>
        <fieldset disabled={!props.writable}>
          <legend>Reply attributes</legend>
          {attributes.length === 0 && <p class="hint">None: members get no attribute from this group.</p>}
          {attributes.map((a, i) => (
            <div class="inline-form" key={i}>
              <TextField
                name={`attr-name-${i}`}
                apiField={`replyAttributes.${i}.name`}
                label={`Attribute ${i + 1}`}
                value={a.name}
                onInput={(v) => setAttribute(i, 'name', v)}
                failure={failure}
                hint="e.g. Filter-Id or Fortinet-Group-Name"
              />
              <TextField
                name={`attr-value-${i}`}
                apiField={`replyAttributes.${i}.value`}
                label={`Value ${i + 1}`}
                value={a.value}
                onInput={(v) => setAttribute(i, 'value', v)}
                failure={failure}
              />
              {props.writable && (
                <button type="button" class="secondary" onClick={() => setAttributes(attributes.filter((_, j) => j !== i))}>
                  Remove attribute {i + 1}
                </button>
              )}
            </div>
          ))}
          {props.writable && (
            <button type="button" class="secondary" onClick={() => setAttributes([...attributes, { name: '', value: '' }])}>
              Add an attribute
            </button>
          )}
        </fieldset>
        <fieldset disabled={!props.writable}>
          <legend>RADIUS clients members may use</legend>
          <CheckboxField name="anyClient" label="Any RADIUS client" checked={anyClient} onChange={setAnyClient} />
          {!anyClient && (
            <ul class="checks" aria-label="Allowed RADIUS clients">
              {choices.length === 0 && <li class="hint">No RADIUS client is configured: members may use none.</li>}
              {choices.map((name) => (
                <li key={name}>
                  <CheckboxField
                    name={`client-${name}`}
                    label={name}
                    checked={allowed.includes(name)}
                    onChange={(on) => setAllowed(on ? [...allowed, name] : allowed.filter((n) => n !== name))}
                  />
                </li>
              ))}
            </ul>
          )}
          {clientProblem && (
            <p class="field-error" role="alert">
              {clientProblem.message}
            </p>
          )}
        </fieldset>
        {props.writable && (
          <div class="actions">
            <button type="submit">Save policy</button>
          </div>
        )}
      </form>
    </section>
  );
}

function MembersPanel(props: { group: GroupDetail; writable: boolean; onChanged: () => Promise<void> }) {
  const [username, setUsername] = useState('');
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const change = async (what: string, run: () => Promise<unknown>) => {
    setFailure(null);
    setDone(null);
    try {
      await run();
      setDone(what);
      await props.onChanged();
    } catch (error) {
      setFailure(error as ApiFailure);
    }
  };
  const g = props.group;
  const general = formLevel(failure, ['username']);
  return (
    <section class="panel">
      <h2>Members</h2>
      {general && <Notice kind="error">{general.message}</Notice>}
      {done && <Notice kind="success">{done}</Notice>}
      {props.writable && (
        <form
          noValidate
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void change(`${username.trim()} is a member.`, async () => {
              await api('PUT', groupApi(g.name, `/members/${encodeURIComponent(username.trim())}`));
              setUsername('');
            });
          }}
        >
          <TextField
            name="username"
            label="User to add"
            value={username}
            onInput={setUsername}
            failure={failure}
            hint="A user name (UPN); a bare name gets the Entra domain"
          />
          <button type="submit">Add member</button>
        </form>
      )}
      {g.members.length === 0 && <p class="empty">No member.</p>}
      {g.members.length > 0 && (
        <table>
          <caption>
            {g.memberCount} member(s) of {g.name}
          </caption>
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">From</th>
              <th scope="col">Since</th>
              {props.writable && <th scope="col">Change</th>}
            </tr>
          </thead>
          <tbody>
            {g.members.map((m) => {
              const href = `/users/${encodeURIComponent(m.upn)}`;
              return (
                <tr key={`${m.upn}-${m.source}`}>
                  <td>
                    <a href={href} onClick={(e) => followLink(e, href)}>
                      {m.upn}
                    </a>
                  </td>
                  <td>{m.source}</td>
                  <td>{formatTime(m.addedAt)}</td>
                  {props.writable && (
                    <td>
                      {m.source === 'tollgate' ? (
                        <button
                          type="button"
                          class="secondary"
                          onClick={() =>
                            change(`${m.upn} is no longer a member.`, () =>
                              api('DELETE', groupApi(g.name, `/members/${encodeURIComponent(m.upn)}`)),
                            )
                          }
                        >
                          Remove {m.upn}
                        </button>
                      ) : (
                        <span class="hint">changed in {m.source}</span>
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
