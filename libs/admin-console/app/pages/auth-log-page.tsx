/**
 * The auth log: the latest decisions (up to 1,000), filtered by user, reason (exact, or a prefix
 * ending in `.` such as `otp.`), decision, RADIUS client and time range, as the API filters them;
 * "Export CSV" saves exactly the rows shown, made in the browser from the fetched rows.
 */
import { useEffect, useState } from 'preact/hooks';
import { csvText } from '../../src/csv-text.js';
import { type ApiFailure, api } from '../api-client.js';
import { SelectField } from '../components/choice-fields.js';
import { Notice } from '../components/notice.js';
import { formLevel, TextField } from '../components/text-field.js';
import { formatTime } from '../format.js';

export interface AuthLogRow {
  at: string;
  requestId: string;
  username: string;
  upn: string | null;
  clientName: string;
  clientAddress: string;
  decision: 'accept' | 'reject' | 'challenge';
  reason: string;
  aadsts: number | null;
  latencyMs: number | null;
}

const CSV_HEADER = [
  'at',
  'requestId',
  'username',
  'upn',
  'clientName',
  'clientAddress',
  'decision',
  'reason',
  'aadsts',
  'latencyMs',
] as const;
const FIELDS = ['username', 'reason', 'decision', 'client', 'since', 'until', 'limit'];
const DECISIONS = [
  { value: '', label: 'any' },
  { value: 'accept', label: 'accept' },
  { value: 'reject', label: 'reject' },
  { value: 'challenge', label: 'challenge' },
];

interface Filters {
  username: string;
  reason: string;
  decision: string;
  client: string;
  since: string;
  until: string;
  limit: string;
}

const EMPTY: Filters = { username: '', reason: '', decision: '', client: '', since: '', until: '', limit: '100' };

/** The query string for the filters; a time typed in the page's local time goes as an ISO instant (or as typed, for the API to refuse). */
function query(filters: Filters): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    const text = value.trim();
    if (!text) continue;
    if (key === 'since' || key === 'until') {
      const at = new Date(text);
      params.set(key, Number.isNaN(at.getTime()) ? text : at.toISOString());
    } else params.set(key, text);
  }
  return params.toString();
}

export function AuthLogPage() {
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [shown, setShown] = useState<{ rows: AuthLogRow[]; query: string } | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);

  const load = async (wanted: Filters) => {
    setFailure(null);
    const q = query(wanted);
    try {
      const answer = await api<{ events: AuthLogRow[] }>('GET', `/api/v1/auth-events?${q}`);
      setShown({ rows: answer.events, query: q });
    } catch (error) {
      setFailure(error as ApiFailure);
    }
  };
  useEffect(() => {
    void load(EMPTY);
  }, []);

  const set = (key: keyof Filters) => (value: string) => setFilters({ ...filters, [key]: value });
  const exportCsv = () => {
    if (!shown) return;
    const text = csvText(
      CSV_HEADER,
      shown.rows.map((r) => CSV_HEADER.map((k) => r[k])),
    );
    const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'auth-log.csv';
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const general = formLevel(failure, FIELDS);
  return (
    <section>
      <h1>Auth log</h1>
      <section class="panel">
        <h2>Filter</h2>
        {general && <Notice kind="error">{general.message}</Notice>}
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void load(filters);
          }}
        >
          <div class="inline-form">
            <TextField name="username" label="User" value={filters.username} onInput={set('username')} failure={failure} />
            <TextField
              name="reason"
              label="Reason"
              value={filters.reason}
              onInput={set('reason')}
              failure={failure}
              hint="Exact, or a prefix ending in a dot: otp."
            />
            <SelectField
              name="decision"
              label="Decision"
              value={filters.decision}
              options={DECISIONS}
              onChange={set('decision')}
              failure={failure}
            />
            <TextField name="client" label="RADIUS client" value={filters.client} onInput={set('client')} failure={failure} />
            <TextField
              name="since"
              label="From"
              value={filters.since}
              onInput={set('since')}
              failure={failure}
              hint="e.g. 2026-12-01 08:00"
            />
            <TextField name="until" label="Until" value={filters.until} onInput={set('until')} failure={failure} hint="Not included" />
            <TextField
              name="limit"
              label="At most"
              value={filters.limit}
              inputMode="numeric"
              onInput={set('limit')}
              failure={failure}
              hint="1 to 1000 rows"
            />
          </div>
          <div class="actions">
            <button type="submit">Apply filters</button>
            <button type="button" class="secondary" disabled={!shown || shown.rows.length === 0} onClick={exportCsv}>
              Export CSV
            </button>
          </div>
        </form>
      </section>
      <section class="panel">
        <h2>Decisions</h2>
        {shown && shown.rows.length === 0 && <p class="empty">No decision matches.</p>}
        {shown && shown.rows.length > 0 && (
          <table class="auth-log">
            <caption>
              {shown.rows.length} decision(s), newest first{shown.query ? ' (filtered)' : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">User</th>
                <th scope="col">Decision</th>
                <th scope="col">Reason</th>
                <th scope="col">RADIUS client</th>
                <th scope="col">Time taken</th>
              </tr>
            </thead>
            <tbody>
              {shown.rows.map((e) => (
                <tr key={e.requestId + e.at}>
                  <td>{formatTime(e.at)}</td>
                  <td>{e.upn ?? e.username}</td>
                  <td>
                    <span class={`badge badge-${e.decision}`}>{e.decision}</span>
                  </td>
                  <td>
                    <code>{e.reason}</code>
                    {e.aadsts !== null ? ` (AADSTS${e.aadsts})` : ''}
                  </td>
                  <td>
                    {e.clientName} ({e.clientAddress})
                  </td>
                  <td>{e.latencyMs === null ? '' : `${e.latencyMs} ms`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </section>
  );
}
