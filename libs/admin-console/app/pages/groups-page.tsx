/**
 * Groups: the list (members, whether the group waives the second factor, the clients it allows)
 * and, for an admin, adding one. Each group's policy and members are on its own page.
 */
import { useEffect, useState } from 'preact/hooks';
import { type ApiFailure, api } from '../api-client.js';
import { Notice } from '../components/notice.js';
import { formLevel, TextField } from '../components/text-field.js';
import { followLink, navigate } from '../router.js';
import { can, type Session } from '../session.js';

export interface GroupView {
  name: string;
  description: string | null;
  replyAttributes: { name: string; value: string | number }[];
  mfaExempt: boolean;
  allowedClients: string[] | null;
  memberCount: number;
  createdAt: string;
  updatedAt: string;
  warning?: string;
}

export const groupHref = (name: string) => `/groups/${encodeURIComponent(name)}`;

export function GroupsPage(props: { session: Session }) {
  const [list, setList] = useState<GroupView[] | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  useEffect(() => {
    api<{ groups: GroupView[] }>('GET', '/api/v1/groups').then(
      (answer) => setList(answer.groups),
      (error: ApiFailure) => setFailure(error),
    );
  }, []);
  return (
    <section>
      <h1>Groups</h1>
      {can(props.session, 'admin') && <AddGroupForm />}
      <section class="panel">
        <h2>All groups</h2>
        {failure && <Notice kind="error">{failure.message}</Notice>}
        {list && list.length === 0 && <p class="empty">No group yet.</p>}
        {list && list.length > 0 && (
          <table>
            <caption>{list.length} group(s)</caption>
            <thead>
              <tr>
                <th scope="col">Group</th>
                <th scope="col">Description</th>
                <th scope="col">Members</th>
                <th scope="col">Second factor</th>
                <th scope="col">Allowed clients</th>
              </tr>
            </thead>
            <tbody>
              {list.map((g) => (
                <tr key={g.name}>
                  <td>
                    <a href={groupHref(g.name)} onClick={(e) => followLink(e, groupHref(g.name))}>
                      {g.name}
                    </a>
                  </td>
                  <td>{g.description ?? ''}</td>
                  <td>{g.memberCount}</td>
                  <td>{g.mfaExempt ? <span class="badge badge-reject">waived</span> : 'required'}</td>
                  <td>{g.allowedClients === null ? 'any' : g.allowedClients.join(', ') || 'none'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </section>
  );
}

function AddGroupForm() {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setFailure(null);
    try {
      const created = await api<GroupView>('POST', '/api/v1/groups', { name, ...(description.trim() ? { description } : {}) });
      navigate(groupHref(created.name));
    } catch (error) {
      setFailure(error as ApiFailure);
    }
  };
  const general = formLevel(failure, ['name', 'description']);
  return (
    <section class="panel">
      <h2>Add a group</h2>
      {general && <Notice kind="error">{general.message}</Notice>}
      <form onSubmit={submit} noValidate class="inline-form">
        <TextField name="name" label="Group name" value={name} onInput={setName} failure={failure} required hint="e.g. vpn-staff" />
        <TextField name="description" label="Description" value={description} onInput={setDescription} failure={failure} />
        <button type="submit">Add group</button>
      </form>
    </section>
  );
}
