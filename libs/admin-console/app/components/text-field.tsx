/** A labelled input with the API's complaint about it, if any, right below (and tied to it for screen readers). */
import { failureFor } from '../../src/field-problem.js';
import type { ApiFailure } from '../api-client.js';
import { FieldNotes, describedBy } from './field-notes.js';

export { formLevel } from '../../src/field-problem.js';

export interface TextFieldProps {
  name: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  type?: 'text' | 'password' | 'search';
  autoComplete?: string;
  hint?: string;
  /** The last failure of the form; shown here when it names this field. */
  failure?: ApiFailure | null;
  /** The API's name for the field, when it differs from `name`. */
  apiField?: string;
  required?: boolean;
  inputMode?: 'text' | 'numeric';
  /** Room for a GUID or an address without scrolling. */
  wide?: boolean;
}

export function TextField(props: TextFieldProps) {
  const id = `field-${props.name}`;
  const failure = failureFor(props.failure, props.apiField ?? props.name);
  return (
    <div class={['field', failure ? 'field-invalid' : '', props.wide ? 'field-wide' : ''].filter(Boolean).join(' ')}>
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        // Preact's input types are a union by `type`; this one component covers three of them.
        type={(props.type ?? 'text') as 'text'}
        value={props.value}
        autocomplete={props.autoComplete ?? 'off'}
        spellcheck={false}
        required={props.required}
        inputMode={props.inputMode}
        aria-invalid={failure ? 'true' : undefined}
        aria-describedby={describedBy(id, props.hint, failure)}
        onInput={(e) => props.onInput((e.currentTarget as HTMLInputElement).value)}
      />
      <FieldNotes id={id} hint={props.hint} failure={failure} />
    </div>
  );
}
