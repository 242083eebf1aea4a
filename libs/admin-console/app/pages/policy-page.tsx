/**
 * The policy: the OTP lockout, the wrong-password limits, the verification order (with its
 * trade-off), a challenge's life; how long the auth log is kept; whether admin accounts need their
 * own TOTP. Each is its own form on its own API route, with errors beside the field the API names.
 * An auditor sees the values with every field locked and no button.
 */
import { useEffect, useState } from 'preact/hooks';
import { asTypedNumber } from '../../src/typed-number.js';
import { type ApiFailure, api } from '../api-client.js';
import { CheckboxField, SelectField } from '../components/choice-fields.js';
import { Notice } from '../components/notice.js';
import { formLevel, TextField } from '../components/text-field.js';
import { can, type Session } from '../session.js';

interface Policy {
  otpMaxFailures: number;
  otpLockoutSeconds: number;
  passwordMaxFailures: number;
  sourceMaxFailures: number;
  passwordFailureWindowSeconds: number;
  verificationOrder: 'parallel' | 'otp_first';
  challengeTtlSeconds: number;
}

const NUMBERS = [
  'otpMaxFailures',
  'otpLockoutSeconds',
  'passwordMaxFailures',
  'sourceMaxFailures',
  'passwordFailureWindowSeconds',
  'challengeTtlSeconds',
] as const;

const ORDERS = [
  { value: 'parallel', label: 'parallel: the code and the password checked at once' },
  { value: 'otp_first', label: 'otp_first: Entra asked only after a valid code' },
];

export function PolicyPage(props: { session: Session }) {
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [retention, setRetention] = useState<{ authEventDays: number } | null>(null);
  const [security, setSecurity] = useState<{ requireTotpForAdmins: boolean } | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  useEffect(() => {
    Promise.all([
      api<Policy>('GET', '/api/v1/settings/policy'),
      api<{ authEventDays: number }>('GET', '/api/v1/settings/retention'),
      api<{ requireTotpForAdmins: boolean }>('GET', '/api/v1/settings/admin-security'),
    ]).then(
      ([p, r, s]) => {
        setPolicy(p);
        setRetention(r);
        setSecurity(s);
      },
      (error: ApiFailure) => setFailure(error),
    );
  }, []);
  const writable = can(props.session, 'admin');
  return (
    <section>
      <h1>Policy</h1>
      {failure && <Notice kind="error">{failure.message}</Notice>}
      {policy && <PolicyForm policy={policy} writable={writable} />}
      {retention && <RetentionForm days={retention.authEventDays} writable={writable} />}
      {security && <AdminSecurityForm required={security.requireTotpForAdmins} writable={writable} />}
    </section>
  );
}

function useSave() {
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [saved, setSaved] = useState(false);
  const save = async (event: Event, path: string, body: unknown) => {
    event.preventDefault();
    setFailure(null);
    setSaved(false);
    try {
      await api('PUT', path, body);
      setSaved(true);
    } catch (error) {
      setFailure(error as ApiFailure);
    }
  };
  return { failure, saved, save };
}

function PolicyForm(props: { policy: Policy; writable: boolean }) {
  const [values, setValues] = useState<Record<(typeof NUMBERS)[number], string>>(
    Object.fromEntries(NUMBERS.map((k) => [k, String(props.policy[k])])) as Record<(typeof NUMBERS)[number], string>,
  );
  const [order, setOrder] = useState<string>(props.policy.verificationOrder);
  const { failure, saved, save } = useSave();
  const field = (name: (typeof NUMBERS)[number], label: string, hint: string) => (
    <TextField
      name={name}
      label={label}
      value={values[name]}
      inputMode="numeric"
      onInput={(v) => setValues({ ...values, [name]: v })}
      failure={failure}
      hint={hint}
    />
  );
  const general = formLevel(failure, [...NUMBERS, 'verificationOrder']);
  return (
    <section class="panel">
      <h2>Verification</h2>
      {general && <Notice kind="error">{general.message}</Notice>}
      {saved && <Notice kind="success">The policy is saved.</Notice>}
      <form
        noValidate
        onSubmit={(e) =>
          save(e, '/api/v1/settings/policy', {
            ...Object.fromEntries(NUMBERS.map((k) => [k, asTypedNumber(values[k])])),
            verificationOrder: order,
          })
        }
      >
        <fieldset disabled={!props.writable}>
          <legend>OTP lockout</legend>
          <div class="inline-form">
            {field('otpMaxFailures', 'Wrong codes before the lock', '1 to 100')}
            {field('otpLockoutSeconds', 'Lock for (seconds)', '10 to 86400')}
          </div>
        </fieldset>
        <fieldset disabled={!props.writable}>
          <legend>Wrong-password limits</legend>
          <div class="inline-form">
            {field('passwordMaxFailures', 'Wrong passwords of one user', '0 turns the limit off; at most 100')}
            {field('sourceMaxFailures', 'Wrong passwords from one source', '0 turns the limit off; at most 100000')}
            {field('passwordFailureWindowSeconds', 'Counted for (seconds)', '10 to 86400')}
          </div>
        </fieldset>
        <fieldset disabled={!props.writable}>
          <legend>Order and challenge</legend>
          <SelectField
            name="verificationOrder"
            label="Verification order"
            value={order}
            options={ORDERS}
            onChange={setOrder}
            failure={failure}
            hint="parallel is the fastest; otp_first keeps anyone without the user's token from making Tollgate ask Entra (no smart-lockout counts), at the cost of one OTP round trip on every good login."
          />
          <div class="inline-form">
            {field('challengeTtlSeconds', 'A challenge waits for its code (seconds)', '10 to 600, for clients in challenge or auto mode')}
          </div>
        </fieldset>
        {props.writable && (
          <div class="actions">
            <button type="submit">Save policy</button>
          </div>
        )}
      </form>
    </section>
  );
}

function RetentionForm(props: { days: number; writable: boolean }) {
  const [days, setDays] = useState(String(props.days));
  const { failure, saved, save } = useSave();
  const general = formLevel(failure, ['authEventDays']);
  return (
    <section class="panel">
      <h2>Auth log retention</h2>
      {general && <Notice kind="error">{general.message}</Notice>}
      {saved && <Notice kind="success">The retention is saved.</Notice>}
      <form noValidate class="inline-form" onSubmit={(e) => save(e, '/api/v1/settings/retention', { authEventDays: asTypedNumber(days) })}>
        <fieldset disabled={!props.writable}>
          <legend class="visually-hidden">Auth log retention</legend>
          <TextField
            name="authEventDays"
            label="Keep authentication events for (days)"
            value={days}
            inputMode="numeric"
            onInput={setDays}
            failure={failure}
            hint="1 to 3650"
          />
        </fieldset>
        {props.writable && <button type="submit">Save retention</button>}
      </form>
    </section>
  );
}

function AdminSecurityForm(props: { required: boolean; writable: boolean }) {
  const [required, setRequired] = useState(props.required);
  const { failure, saved, save } = useSave();
  const general = formLevel(failure, ['requireTotpForAdmins']);
  return (
    <section class="panel">
      <h2>Console accounts</h2>
      {general && <Notice kind="error">{general.message}</Notice>}
      {saved && <Notice kind="success">The console account setting is saved.</Notice>}
      <form noValidate onSubmit={(e) => save(e, '/api/v1/settings/admin-security', { requireTotpForAdmins: required })}>
        <fieldset disabled={!props.writable}>
          <legend class="visually-hidden">Console accounts</legend>
          <CheckboxField
            name="requireTotpForAdmins"
            label="TOTP required for admins"
            checked={required}
            onChange={setRequired}
            failure={failure}
            hint="An admin account without its own authenticator may then only set one up after signing in (My account)."
          />
        </fieldset>
        {props.writable && (
          <div class="actions">
            <button type="submit">Save account setting</button>
          </div>
        )}
      </form>
    </section>
  );
}
