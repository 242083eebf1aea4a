/**
 * The Entra ID connection: tenant, application (client) ID, the users' domain, the authority host,
 * the scope, and the client secret (write-only: the API says only whether one is set), with a
 * Test that sends a user name and password through the entra-verifier and shows what Entra's
 * answer means. An auditor sees the same form with every field locked and no button.
 */
import { useEffect, useState } from 'preact/hooks';
import { type ApiFailure, api } from '../api-client.js';
import { CheckboxField } from '../components/choice-fields.js';
import { Notice } from '../components/notice.js';
import { ClientSecretField } from '../components/client-secret-field.js';
import { formLevel, TextField } from '../components/text-field.js';
import { can, type Session } from '../session.js';

interface EntraView {
  enabled: boolean;
  tenantId: string;
  clientId: string;
  domain: string;
  authorityHost: string;
  scope: string;
  hasClientSecret: boolean;
}

interface TestOutcome {
  outcome: string;
  aadsts: number | null;
  httpStatus: number;
  correlationId: string | null;
  latencyMs: number;
  message: string;
}

const FIELDS = ['enabled', 'tenantId', 'clientId', 'domain', 'authorityHost', 'scope', 'clientSecret'];

export function EntraSettingsPage(props: { session: Session }) {
  const [stored, setStored] = useState<EntraView | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  useEffect(() => {
    api<EntraView>('GET', '/api/v1/settings/entra').then(setStored, (error: ApiFailure) => setFailure(error));
  }, []);
  const writable = can(props.session, 'admin');
  return (
    <section>
      <h1>Entra ID</h1>
      {failure && <Notice kind="error">{failure.message}</Notice>}
      {stored && <EntraForm stored={stored} writable={writable} onSaved={setStored} />}
      {stored && writable && <EntraTest />}
    </section>
  );
}

function EntraForm(props: { stored: EntraView; writable: boolean; onSaved: (view: EntraView) => void }) {
  const s = props.stored;
  const [enabled, setEnabled] = useState(s.enabled);
  const [tenantId, setTenantId] = useState(s.tenantId);
  const [clientId, setClientId] = useState(s.clientId);
  const [domain, setDomain] = useState(s.domain);
  const [authorityHost, setAuthorityHost] = useState(s.authorityHost);
  const [scope, setScope] = useState(s.scope);
  const [clientSecret, setClientSecret] = useState('');
  const [removeSecret, setRemoveSecret] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [saved, setSaved] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setFailure(null);
    setSaved(false);
    try {
      const view = await api<EntraView>('PUT', '/api/v1/settings/entra', {
        enabled,
        tenantId,
        clientId,
        domain,
        authorityHost,
        scope,
        ...(removeSecret ? { clientSecret: null } : clientSecret ? { clientSecret } : {}),
      });
      // The form shows what was stored: the API's canonical form of what was typed.
      setTenantId(view.tenantId);
      setClientId(view.clientId);
      setDomain(view.domain);
      setAuthorityHost(view.authorityHost);
      setScope(view.scope);
      setClientSecret('');
      setRemoveSecret(false);
      setSaved(true);
      props.onSaved(view);
    } catch (error) {
      setFailure(error as ApiFailure);
    }
  };
  const general = formLevel(failure, FIELDS);
  return (
    <section class="panel">
      <h2>Connection</h2>
      {general && <Notice kind="error">{general.message}</Notice>}
      {saved && <Notice kind="success">The Entra settings are saved.</Notice>}
      <form onSubmit={submit} noValidate>
        <fieldset disabled={!props.writable}>
          <legend class="visually-hidden">Entra ID connection</legend>
          <CheckboxField name="enabled" label="Check passwords with Entra ID" checked={enabled} onChange={setEnabled} failure={failure} />
          <div class="inline-form">
            <TextField
              wide
              name="tenantId"
              label="Tenant"
              value={tenantId}
              onInput={setTenantId}
              failure={failure}
              hint="The tenant GUID, a verified domain or organizations"
            />
            <TextField wide name="clientId" label="Application (client) ID" value={clientId} onInput={setClientId} failure={failure} />
            <TextField
              name="domain"
              label="Users' domain"
              value={domain}
              onInput={setDomain}
              failure={failure}
              hint="Added to a bare user name, e.g. contoso.com"
            />
            <TextField
              wide
              name="authorityHost"
              label="Authority host"
              value={authorityHost}
              onInput={setAuthorityHost}
              failure={failure}
              hint="https://login.microsoftonline.com, or the US Government or China cloud's"
            />
            <TextField wide name="scope" label="Scope" value={scope} onInput={setScope} failure={failure} />
          </div>
          <ClientSecretField
            label="New client secret"
            isSet={s.hasClientSecret}
            unsetText="No client secret is set (a public client)."
            writable={props.writable}
            value={clientSecret}
            onInput={setClientSecret}
            remove={removeSecret}
            onRemove={setRemoveSecret}
            failure={failure}
          />
        </fieldset>
        {props.writable && (
          <div class="actions">
            <button type="submit">Save Entra settings</button>
          </div>
        )}
      </form>
    </section>
  );
}

function EntraTest() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [result, setResult] = useState<TestOutcome | null>(null);
  const [running, setRunning] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setFailure(null);
    setResult(null);
    setRunning(true);
    try {
      setResult(await api<TestOutcome>('POST', '/api/v1/settings/entra/test', { username, password }));
      setPassword('');
    } catch (error) {
      setFailure(error as ApiFailure);
    } finally {
      setRunning(false);
    }
  };
  const general = formLevel(failure, ['username', 'password']);
  return (
    <section class="panel">
      <h2>Test the connection</h2>
      <p class="hint">Asks Entra with the saved settings, as a RADIUS request would (the password is not kept).</p>
      {general && <Notice kind="error">{general.message}</Notice>}
      <form onSubmit={submit} noValidate class="inline-form">
        <TextField
          name="test-username"
          apiField="username"
          label="Test user name"
          value={username}
          onInput={setUsername}
          failure={failure}
        />
        <TextField
          name="test-password"
          apiField="password"
          label="Test password"
          type="password"
          value={password}
          onInput={setPassword}
          failure={failure}
        />
        <button type="submit" disabled={running}>
          Test
        </button>
      </form>
      {result && (
        <div class="test-result" role="status">
          <p>
            <span class={`badge ${result.outcome === 'password_ok_mfa' ? 'badge-accept' : 'badge-reject'}`}>{result.outcome}</span>{' '}
            {result.message}
          </p>
          <dl class="facts">
            <div>
              <dt>AADSTS code</dt>
              <dd>{result.aadsts ?? 'none'}</dd>
            </div>
            <div>
              <dt>HTTP status</dt>
              <dd>{result.httpStatus}</dd>
            </div>
            <div>
              <dt>Correlation ID</dt>
              <dd>{result.correlationId ?? 'none'}</dd>
            </div>
            <div>
              <dt>Time taken</dt>
              <dd>{result.latencyMs} ms</dd>
            </div>
          </dl>
        </div>
      )}
    </section>
  );
}
