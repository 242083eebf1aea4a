/**
 * The signed-in account: who and which role, and its own authenticator (TOTP) for sign-in: a new
 * seed shown once as a QR code and a key, confirmed with a current code before it counts.
 */
import { useState } from 'preact/hooks';
import { type ApiFailure, api } from '../api-client.js';
import { Notice } from '../components/notice.js';
import { formLevel, TextField } from '../components/text-field.js';
import type { Session } from '../session.js';

interface Pending {
  secret: string;
  qrCode: string;
}

export function AccountPage(props: { session: Session }) {
  const [pending, setPending] = useState<Pending | null>(null);
  const [code, setCode] = useState('');
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const isAccount = props.session.csrfToken !== null;

  const begin = async () => {
    setFailure(null);
    setConfirmed(false);
    try {
      setPending(await api<Pending>('POST', '/api/v1/session/totp'));
    } catch (error) {
      setFailure(error as ApiFailure);
    }
  };

  const confirm = async (event: Event) => {
    event.preventDefault();
    setFailure(null);
    try {
      await api('PUT', '/api/v1/session/totp', { code: code.trim() });
      setPending(null);
      setCode('');
      setConfirmed(true);
    } catch (error) {
      setFailure(error as ApiFailure);
    }
  };

  const general = formLevel(failure, ['code']);
  return (
    <section>
      <h1>My account</h1>
      <section class="panel">
        <dl class="facts">
          <div>
            <dt>User name</dt>
            <dd>{props.session.username}</dd>
          </div>
          <div>
            <dt>Role</dt>
            <dd>{props.session.role}</dd>
          </div>
        </dl>
      </section>
      {isAccount && (
        <section class="panel">
          <h2>Authenticator for signing in</h2>
          {general && <Notice kind="error">{general.message}</Notice>}
          {confirmed && <Notice kind="success">The authenticator is set up: sign-in now asks for its code.</Notice>}
          {pending ? (
            <div class="enrolment">
              <img
                class="qr"
                src={pending.qrCode}
                width={240}
                height={240}
                alt="QR code that sets up this console account in an authenticator app"
              />
              <div>
                <p>Scan the code (shown only now), or enter this key by hand:</p>
                <p>
                  <code class="secret">{pending.secret}</code>
                </p>
                <form onSubmit={confirm} noValidate class="inline-form">
                  <TextField
                    name="code"
                    label="Current code from the app"
                    value={code}
                    onInput={setCode}
                    inputMode="numeric"
                    autoComplete="one-time-code"
                    failure={failure}
                    required
                  />
                  <button type="submit">Confirm the authenticator</button>
                </form>
              </div>
            </div>
          ) : (
            <>
              <p>
                With an authenticator, signing in to the console asks for its code after the password. A new one replaces any you had once
                it is confirmed.
              </p>
              <button type="button" onClick={begin}>
                Set up an authenticator
              </button>
            </>
          )}
        </section>
      )}
    </section>
  );
}
