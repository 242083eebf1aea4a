/** Settings, read-only for now (changes go through the API): the Entra connection and the policy as the API shows them (never a secret, only whether one is set). */
import { useEffect, useState } from 'preact/hooks';
import { type ApiFailure, api } from '../api-client.js';
import { Notice } from '../components/notice.js';

type Settings = Record<string, unknown>;

export function SettingsPage() {
  const [entra, setEntra] = useState<Settings | null>(null);
  const [policy, setPolicy] = useState<Settings | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);

  useEffect(() => {
    Promise.all([api<Settings>('GET', '/api/v1/settings/entra'), api<Settings>('GET', '/api/v1/settings/policy')]).then(
      ([e, p]) => {
        setEntra(e);
        setPolicy(p);
      },
      (error: ApiFailure) => setFailure(error),
    );
  }, []);

  return (
    <section>
      <h1>Settings</h1>
      {failure && <Notice kind="error">{failure.message}</Notice>}
      {entra && <SettingsList title="Entra ID" values={entra} />}
      {policy && <SettingsList title="Policy" values={policy} />}
    </section>
  );
}

function SettingsList(props: { title: string; values: Settings }) {
  return (
    <section class="panel">
      <h2>{props.title}</h2>
      <dl class="facts">
        {Object.entries(props.values).map(([key, value]) => (
          <div key={key}>
            <dt>{key}</dt>
            <dd>{typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
