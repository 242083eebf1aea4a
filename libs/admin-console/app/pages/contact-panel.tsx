/**
 * Where a user's fallback codes go (clients with fallbackCodes, docs/fallback-codes.md): the email
 * address and the phone number, saved with one PATCH; an empty field clears it. The API's
 * complaint appears beside the field it names.
 */
import { useState } from 'preact/hooks';
import { type ApiFailure, api, userPath } from '../api-client.js';
import { Notice } from '../components/notice.js';
import { TextField } from '../components/text-field.js';

export function ContactPanel(props: { upn: string; email: string | null; phone: string | null; onChanged: () => void }) {
  const [email, setEmail] = useState(props.email ?? '');
  const [phone, setPhone] = useState(props.phone ?? '');
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [saved, setSaved] = useState(false);

  const save = async (event: Event) => {
    event.preventDefault();
    setFailure(null);
    setSaved(false);
    try {
      await api('PATCH', userPath(props.upn), { email: email.trim() || null, phone: phone.trim() || null });
      setSaved(true);
      props.onChanged();
    } catch (error) {
      setFailure(error as ApiFailure);
    }
  };

  return (
    <section class="panel">
      <h2>Fallback codes</h2>
      <p class="hint">
        Where a one-time code goes when the user answers a challenge with <code>email</code> or <code>sms</code>, on RADIUS clients that
        allow it. Weaker than the authenticator app: for the day a phone is lost.
      </p>
      {saved && <Notice kind="success">The addresses are saved.</Notice>}
      {failure && !['email', 'phone'].includes(failure.field ?? '') && <Notice kind="error">{failure.message}</Notice>}
      <form onSubmit={save}>
        <TextField name="email" label="Email address" value={email} onInput={setEmail} failure={failure} wide />
        <TextField
          name="phone"
          label="Phone number"
          value={phone}
          onInput={setPhone}
          failure={failure}
          hint="In international form, e.g. +41 79 123 45 67"
        />
        <div class="actions">
          <button type="submit">Save addresses</button>
        </div>
      </form>
    </section>
  );
}
