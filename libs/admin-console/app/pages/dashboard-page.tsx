/**
 * The dashboard: accepts and rejects by reason over the last hour and the last day, the users and
 * RADIUS clients with the most rejects in the last day, and what the admin API can tell of each service.
 */
import { useEffect, useState } from 'preact/hooks';
import { type ApiFailure, api } from '../api-client.js';
import { Notice } from '../components/notice.js';
import { chartOf } from '../../src/chart-scale.js';
import { StackedBarChart } from '../components/stacked-bar-chart.js';
import { formatClock, formatTime } from '../format.js';
import { followLink } from '../router.js';
import { can, type Session } from '../session.js';
import { ServiceHealthPanel } from './service-health-panel.js';

interface Stats {
  window: '1h' | '24h';
  buckets: { at: string; accepts: number; challenges: number; rejects: number; rejectsByReason: Record<string, number> }[];
  totals: { accepts: number; challenges: number; rejects: number };
  rejectReasons: { reason: string; count: number }[];
  topUsers: { username: string; rejects: number; lastAt: string }[];
  topClients: { clientName: string; clientAddress: string; rejects: number }[];
}

export function DashboardPage(props: { session: Session }) {
  const [hour, setHour] = useState<Stats | null>(null);
  const [day, setDay] = useState<Stats | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);

  useEffect(() => {
    Promise.all([api<Stats>('GET', '/api/v1/stats/auth?window=1h'), api<Stats>('GET', '/api/v1/stats/auth?window=24h')]).then(
      ([h, d]) => {
        setHour(h);
        setDay(d);
      },
      (error: ApiFailure) => setFailure(error),
    );
  }, []);

  return (
    <section>
      <h1>Dashboard</h1>
      {failure && <Notice kind="error">{failure.message}</Notice>}
      {hour && day && (
        <>
          <div class="summary">
            <Summary label="Accepted in the last day" value={day.totals.accepts} />
            <Summary label="Rejected in the last day" value={day.totals.rejects} />
            <Summary label="Rejected in the last hour" value={hour.totals.rejects} />
          </div>
          <section class="panel">
            <h2>Last hour</h2>
            <StackedBarChart
              title="Decisions in the last hour, 5-minute steps"
              {...chartOf(hour, (at) => formatClock(at))}
              labelEvery={2}
            />
          </section>
          <section class="panel">
            <h2>Last day</h2>
            <StackedBarChart title="Decisions in the last day, hourly" {...chartOf(day, (at) => formatClock(at))} labelEvery={3} />
          </section>
          <div class="columns">
            <TopUsers stats={day} linked={can(props.session, 'users.read')} />
            <TopClients stats={day} />
          </div>
        </>
      )}
      {can(props.session, 'status.read') && <ServiceHealthPanel />}
    </section>
  );
}

function Summary(props: { label: string; value: number }) {
  return (
    <div class="summary-item">
      <span class="summary-value">{props.value}</span>
      <span class="summary-label">{props.label}</span>
    </div>
  );
}

function TopUsers(props: { stats: Stats; linked: boolean }) {
  return (
    <section class="panel">
      <h2>Most rejected users, last day</h2>
      {props.stats.topUsers.length === 0 ? (
        <p class="empty">No rejects in the last day.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Rejects</th>
              <th scope="col">Last</th>
            </tr>
          </thead>
          <tbody>
            {props.stats.topUsers.map((u) => (
              <tr key={u.username}>
                <td>
                  {props.linked ? (
                    <a
                      href={`/users/${encodeURIComponent(u.username)}`}
                      onClick={(e) => followLink(e, `/users/${encodeURIComponent(u.username)}`)}
                    >
                      {u.username}
                    </a>
                  ) : (
                    u.username
                  )}
                </td>
                <td>{u.rejects}</td>
                <td>{formatTime(u.lastAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function TopClients(props: { stats: Stats }) {
  return (
    <section class="panel">
      <h2>Most rejects by RADIUS client, last day</h2>
      {props.stats.topClients.length === 0 ? (
        <p class="empty">No rejects in the last day.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Client</th>
              <th scope="col">Address</th>
              <th scope="col">Rejects</th>
            </tr>
          </thead>
          <tbody>
            {props.stats.topClients.map((c) => (
              <tr key={`${c.clientName}-${c.clientAddress}`}>
                <td>{c.clientName}</td>
                <td>{c.clientAddress}</td>
                <td>{c.rejects}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
