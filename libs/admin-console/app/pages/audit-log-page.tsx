/**
 * The audit log: every change made by a console account or an API token, newest first, filtered
 * by actor and action (exact, or a prefix ending in `.`), a page of 50 at a time (`before` the
 * last entry shown). It holds no secret values.
 */
import { useEffect, useState } from 'preact/hooks';
import { type ApiFailure, api } from '../api-client.js';
import { Notice } from '../components/notice.js';
import { formLevel, TextField } from '../components/text-field.js';
import { formatTime } from '../format.js';

interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  actorKind: 'token' | 'account';
  role: string;
  source: string;
  action: string;
  target: string;
  outcome: string;
  details: Record<string, unknown>;
}

const PAGE_SIZE = 50;

export function AuditLogPage() {
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [applied, setApplied] = useState({ actor: '', action: '' });
  const [cursors, setCursors] = useState<string[]>(['']);
  // The page shown, with the filters it answers (so the caption never runs ahead of the rows).
  const [page, setPage] = useState<{ entries: AuditEntry[]; next: string | null; number: number; filters: string } | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const before = cursors[cursors.length - 1] ?? '';

  useEffect(() => {
    const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (applied.actor) params.set('actor', applied.actor);
    if (applied.action) params.set('action', applied.action);
    if (before) params.set('before', before);
    let current = true;
    api<{ entries: AuditEntry[]; next: string | null }>('GET', `/api/v1/audit-log?${params}`).then(
      (answer) => {
        if (!current) return;
        const filters = [applied.actor && `actor ${applied.actor}`, applied.action && `action ${applied.action}`]
          .filter(Boolean)
          .join(', ');
        setPage({ ...answer, number: cursors.length, filters });
        setFailure(null);
      },
      (error: ApiFailure) => current && setFailure(error),
    );
    return () => {
      current = false;
    };
  }, [applied, before]);

  const general = formLevel(failure, ['actor', 'action']);
  return (
    <section>
      <h1>Audit log</h1>
      <section class="panel">
        <h2>Filter</h2>
        {general && <Notice kind="error">{general.message}</Notice>}
        <form
          noValidate
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            setApplied({ actor: actor.trim(), action: action.trim() });
            setCursors(['']);
          }}
        >
          <TextField name="actor" label="Actor" value={actor} onInput={setActor} failure={failure} hint="An account or API token name" />
          <TextField
            name="action"
            label="Action"
            value={action}
            onInput={setAction}
            failure={failure}
            hint="Exact, or a prefix ending in a dot: settings."
          />
          <button type="submit">Apply filters</button>
        </form>
      </section>
      <section class="panel">
        <h2>Changes</h2>
        {page && page.entries.length === 0 && <p class="empty">No change recorded.</p>}
        {page && page.entries.length > 0 && (
          <table>
            <caption>
              Page {page.number}, newest first{page.filters ? `, ${page.filters}` : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Outcome</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {page.entries.map((e) => (
                <tr key={e.id}>
                  <td>{formatTime(e.at)}</td>
                  <td>
                    {e.actor}{' '}
                    <span class="role">
                      ({e.actorKind === 'token' ? 'API token' : 'account'}, {e.role})
                    </span>
                  </td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>{e.target}</td>
                  <td>{e.outcome}</td>
                  <td>
                    <code class="details">{Object.keys(e.details).length ? JSON.stringify(e.details) : ''}</code>
                  </td>
                </tr>
              ))}
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
