/** Sign-in: user name, password, and the account's own TOTP code when it has one. */
import { useState } from 'preact/hooks';
import { ApiFailure, api } from '../api-client.js';
import { Notice } from '../components/notice.js';
import { formLevel, TextField } from '../components/text-field.js';
import type { Session } from '../session.js';

const FIELDS = ['username', 'password', 'code'];

export function SignInPage(props: { notice?: string | undefined; onSignedIn: (session: Session) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      const body = { username, password, ...(code.trim() ? { code: code.trim() } : {}) };
      const session = await api<Session>('POST', '/api/v1/session', body);
      setPassword('');
      setCode('');
      props.onSignedIn(session);
    } catch (error) {
      setFailure(error instanceof ApiFailure ? error : new ApiFailure(0, 'network', 'The console could not reach the admin API.'));
    } finally {
      setBusy(false);
    }
  };

  const general = formLevel(failure, FIELDS);
  return (
    <main id="main" class="sign-in">
      <h1>Sign in to Tollgate</h1>
      {props.notice && !failure && <Notice kind="info">{props.notice}</Notice>}
      {general && <Notice kind="error">{general.message}</Notice>}
      <form onSubmit={submit} noValidate>
        <TextField
          name="username"
          label="User name"
          value={username}
          onInput={setUsername}
          autoComplete="username"
          failure={failure}
          required
        />
        <TextField
          name="password"
          label="Password"
          type="password"
          value={password}
          onInput={setPassword}
          autoComplete="current-password"
          failure={failure}
          required
        />
        <TextField
          name="code"
          label="Authenticator code"
          hint="Only if your console account has its own authenticator (TOTP)."
          value={code}
          onInput={setCode}
          autoComplete="one-time-code"
          inputMode="numeric"
          failure={failure}
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
