/** The health of the install as the admin API sees it: its bus, the database, and each service replica that answers discovery. */
import { useEffect, useState } from 'preact/hooks';
import { type ApiFailure, api } from '../api-client.js';
import { Notice } from '../components/notice.js';
import { formatTime } from '../format.js';

interface Health {
  checkedAt: string;
  bus: { kind: 'nats' | 'memory'; connected: boolean };
  database: { ok: boolean; latencyMs: number | null };
  discovery: 'ok' | 'failed';
  replicas: { name: string; id: string; version: string; startedAt: string | null; requests: number }[];
}

export function ServiceHealthPanel() {
  const [health, setHealth] = useState<Health | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  useEffect(() => {
    api<Health>('GET', '/api/v1/services/health').then(setHealth, (error: ApiFailure) => setFailure(error));
  }, []);
  return (
    <section class="panel">
      <h2>Services</h2>
      {failure && <Notice kind="error">{failure.message}</Notice>}
      {health && (
        <>
          <ul class="checks">
            <li>
              <span class={health.bus.connected ? 'badge badge-accept' : 'badge badge-reject'}>{health.bus.connected ? 'up' : 'down'}</span>{' '}
              Bus ({health.bus.kind === 'nats' ? 'NATS' : 'in process'})
            </li>
            <li>
              <span class={health.database.ok ? 'badge badge-accept' : 'badge badge-reject'}>{health.database.ok ? 'up' : 'down'}</span>{' '}
              Database
              {health.database.latencyMs !== null && ` (${health.database.latencyMs} ms)`}
            </li>
          </ul>
          {health.discovery === 'failed' && <Notice kind="error">Service discovery did not answer.</Notice>}
          {health.replicas.length === 0 ? (
            <p class="empty">No service replica answered discovery (checked {formatTime(health.checkedAt)}).</p>
          ) : (
            <table>
              <caption>Replicas that answered at {formatTime(health.checkedAt)}</caption>
              <thead>
                <tr>
                  <th scope="col">Service</th>
                  <th scope="col">Replica</th>
                  <th scope="col">Version</th>
                  <th scope="col">Up since</th>
                  <th scope="col">Requests</th>
                </tr>
              </thead>
              <tbody>
                {health.replicas.map((r) => (
                  <tr key={r.id}>
                    <td>{r.name}</td>
                    <td>
                      <code>{r.id.slice(0, 12)}</code>
                    </td>
                    <td>{r.version}</td>
                    <td>{formatTime(r.startedAt)}</td>
                    <td>{r.requests}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
