/** A list of authentication decisions, newest first (names and reasons only; the log holds no secret). */
import { formatTime } from '../format.js';

export interface AuthEventView {
  at: string;
  username: string;
  upn: string | null;
  clientName: string;
  clientAddress: string;
  decision: 'accept' | 'reject' | 'challenge';
  reason: string;
}

export function AuthEventsTable(props: { events: AuthEventView[]; caption: string }) {
  if (props.events.length === 0) return <p class="empty">No authentication recorded yet.</p>;
  return (
    <table>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Decision</th>
          <th scope="col">Reason</th>
          <th scope="col">RADIUS client</th>
        </tr>
      </thead>
      <tbody>
        {props.events.map((e, i) => (
          <tr key={`${e.at}-${i}`}>
            <td>{formatTime(e.at)}</td>
            <td>
              <span class={`badge badge-${e.decision}`}>{e.decision}</span>
            </td>
            <td>
              <code>{e.reason}</code>
            </td>
            <td>
              {e.clientName} ({e.clientAddress})
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
