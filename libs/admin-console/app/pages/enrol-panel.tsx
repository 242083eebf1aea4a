/**
 * Giving a user a second factor: a new seed for an authenticator app, shown once as the QR code
 * the admin API rendered (and as text for manual entry), or a hardware token's seed typed in.
 */
import { useState } from 'preact/hooks';
import { type ApiFailure, api, userPath } from '../api-client.js';
import { Notice } from '../components/notice.js';
import { formLevel, TextField } from '../components/text-field.js';

interface Generated {
  secret: string;
  otpauthUri: string;
  qrCode: string;
}

const HARDWARE_FIELDS = ['secret', 'serial', 'manufacturer', 'model', 'digits', 'period', 'algorithm'];

export function EnrolPanel(props: { upn: string; enrolled: boolean; onChanged: () => Promise<void> }) {
  const [generated, setGenerated] = useState<Generated | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [saved, setSaved] = useState(false);
  const [secret, setSecret] = useState('');
  const [serial, setSerial] = useState('');
  const [digits, setDigits] = useState('6');
  const [period, setPeriod] = useState('30');

  const enrol = async () => {
    setFailure(null);
    setSaved(false);
    try {
      setGenerated(await api<Generated>('POST', userPath(props.upn, '/totp'), {}));
      await props.onChanged();
    } catch (error) {
      setFailure(error as ApiFailure);
    }
  };

  const saveHardware = async (event: Event) => {
    event.preventDefault();
    setFailure(null);
    setSaved(false);
    setGenerated(null);
    try {
      await api('PUT', userPath(props.upn, '/totp'), {
        secret,
        digits: Number(digits),
        period: Number(period),
        ...(serial.trim() ? { serial: serial.trim() } : {}),
      });
      setSecret('');
      setSaved(true);
      await props.onChanged();
    } catch (error) {
      setFailure(error as ApiFailure);
    }
  };

  const general = formLevel(failure, HARDWARE_FIELDS);
  return (
    <section class="panel">
      <h2>Second factor</h2>
      {general && <Notice kind="error">{general.message}</Notice>}
      <h3>Authenticator app</h3>
      {generated ? (
        <div class="enrolment">
          <img
            class="qr"
            src={generated.qrCode}
            width={240}
            height={240}
            alt={`QR code that sets up ${props.upn} in an authenticator app`}
          />
          <div>
            <p>Scan the code with the authenticator app now: it is shown only this once. Or enter this key by hand:</p>
            <p>
              <code class="secret">{generated.secret}</code>
            </p>
            <button type="button" class="secondary" onClick={() => setGenerated(null)}>
              Done, hide the code
            </button>
          </div>
        </div>
      ) : (
        <button type="button" onClick={enrol}>
          {props.enrolled ? 'Enrol an authenticator app instead (replaces the token)' : 'Enrol an authenticator app'}
        </button>
      )}
      <h3>Hardware token</h3>
      {saved && <Notice kind="success">The hardware token is saved.</Notice>}
      <form onSubmit={saveHardware} noValidate class="inline-form">
        <TextField name="secret" label="Seed (Base32)" type="password" value={secret} onInput={setSecret} failure={failure} required />
        <TextField name="serial" label="Serial number" value={serial} onInput={setSerial} failure={failure} />
        <div class="field">
          <label for="field-digits">Digits</label>
          <select id="field-digits" value={digits} onChange={(e) => setDigits((e.currentTarget as HTMLSelectElement).value)}>
            <option value="6">6</option>
            <option value="8">8</option>
          </select>
        </div>
        <div class="field">
          <label for="field-period">Period</label>
          <select id="field-period" value={period} onChange={(e) => setPeriod((e.currentTarget as HTMLSelectElement).value)}>
            <option value="30">30 s</option>
            <option value="60">60 s</option>
          </select>
        </div>
        <button type="submit">Save hardware token</button>
      </form>
    </section>
  );
}
