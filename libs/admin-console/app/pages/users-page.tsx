/**
 * Users: search (by part of the name), a page at a time by keyset (`after` the last name shown,
 * so page 1,000 costs what page 1 does), and adding a user for a role that may.
 */
import { useEffect, useState } from 'preact/hooks';
import { type ApiFailure, api } from '../api-client.js';
import { Notice } from '../components/notice.js';
import { formLevel, TextField } from '../components/text-field.js';
import { followLink, navigate } from '../router.js';
import { can, type Session } from '../session.js';
import type { UserView } from '../user-types.js';

const PAGE_SIZE = 25;
const SEARCH_DELAY_MS = 250;

export function UsersPage(props: { session: Session }) {
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  // The `after` cursor of each page shown so far: back goes to the one before.
  const [cursors, setCursors] = useState<string[]>(['']);
  // The page shown, with the page number and search it answers (so the caption never runs ahead of the rows).
  const [page, setPage] = useState<{ users: UserView[]; next: string | null; number: number; query: string } | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);

  useEffect(() => {
    const timer = setTimeout(() => {
      setQuery(search.trim());
      setCursors(['']);
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search]);

  const after = cursors[cursors.length - 1] ?? '';
  useEffect(() => {
    const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (query) params.set('search', query);
    if (after) params.set('after', after);
    let current = true;
    api<{ users: UserView[]; next: string | null }>('GET', `/api/v1/users?${params}`).then(
      (answer) => {
        if (!current) return;
        setPage({ ...answer, number: cursors.length, query });
        setFailure(null);
      },
      (error: ApiFailure) => current && setFailure(error),
    );
    return () => {
      current = false;
    };
  }, [query, after]);

  return (
    <section>
      <h1>Users</h1>
      {can(props.session, 'users.write') && <AddUserForm />}
      <section class="panel">
        <h2>Find users</h2>
        <TextField
          name="search"
          label="Search by name"
          type="search"
          value={search}
          onInput={setSearch}
          failure={failure}
          hint="Part of the user name, e.g. alice or @contoso.com"
        />
        {failure && failure.field !== 'search' && <Notice kind="error">{failure.message}</Notice>}
        {page && page.users.length === 0 && <p class="empty">No user matches.</p>}
        {page && page.users.length > 0 && (
          <table>
            <caption>
              Page {page.number}
              {page.query ? `, users whose name contains “${page.query}”` : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Display name</th>
                <th scope="col">Status</th>
                <th scope="col">Token</th>
              </tr>
            </thead>
            <tbody>
              {page.users.map((u) => {
                const href = `/users/${encodeURIComponent(u.upn)}`;
                return (
                  <tr key={u.upn}>
                    <td>
                      <a href={href} onClick={(e) => followLink(e, href)}>
                        {u.upn}
                      </a>
                    </td>
                    <td>{u.displayName ?? ''}</td>
                    <td>{u.enabled ? 'enabled' : 'disabled'}</td>
                    <td>{u.token ? (u.token.source === 'hardware' ? 'hardware token' : 'authenticator app') : 'not enrolled'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        <div class="pager">
          <button type="button" class="secondary" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
            Previous page
          </button>
          <button
            type="button"
            class="secondary"
            disabled={!page?.next || page.number !== cursors.length}
            onClick={() => page?.next && setCursors([...cursors, page.next])}
          >
            Next page
          </button>
        </div>
      </section>
    </section>
  );
}

function AddUserForm() {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setFailure(null);
    try {
      const created = await api<UserView>('POST', '/api/v1/users', {
        username,
        ...(displayName.trim() ? { displayName: displayName.trim() } : {}),
      });
      navigate(`/users/${encodeURIComponent(created.upn)}`);
    } catch (error) {
      setFailure(error as ApiFailure);
    }
  };
  const general = formLevel(failure, ['username', 'displayName']);
  return (
    <section class="panel">
      <h2>Add a user</h2>
      {general && <Notice kind="error">{general.message}</Notice>}
      <form onSubmit={submit} noValidate class="inline-form">
        <TextField name="username" label="User name (UPN)" value={username} onInput={setUsername} failure={failure} required />
        <TextField name="displayName" label="Display name" value={displayName} onInput={setDisplayName} failure={failure} />
        <button type="submit">Add user</button>
      </form>
    </section>
  );
}
