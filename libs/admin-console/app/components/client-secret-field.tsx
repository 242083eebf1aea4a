/**
 * A write-only client secret, as the settings pages keep one: a password box that replaces it
 * when filled (and keeps it when empty), a box to remove it when one is set, and for a reader
 * only whether one is set. The secret itself is never shown.
 */
import type { ApiFailure } from '../api-client.js';
import { CheckboxField } from './choice-fields.js';
import { TextField } from './text-field.js';

export function ClientSecretField(props: {
  label: string;
  /** Whether the stored settings hold a secret. */
  isSet: boolean;
  /** What the hint says when none is set. */
  unsetText?: string;
  writable: boolean;
  value: string;
  onInput: (value: string) => void;
  remove: boolean;
  onRemove: (remove: boolean) => void;
  failure: ApiFailure | null;
}) {
  if (!props.writable) return <p>{props.isSet ? 'A client secret is set.' : 'No client secret is set.'}</p>;
  return (
    <>
      <TextField
        name="clientSecret"
        label={props.label}
        type="password"
        value={props.value}
        onInput={props.onInput}
        failure={props.failure}
        hint={`${props.isSet ? 'A client secret is set.' : (props.unsetText ?? 'No client secret is set.')} Leave empty to keep it; it is never shown.`}
      />
      {props.isSet && (
        <CheckboxField name="removeSecret" label="Remove the client secret" checked={props.remove} onChange={props.onRemove} />
      )}
    </>
  );
}
