/** A labelled select and a labelled checkbox, each with the API's complaint about it right below, as TextField does. */
import type { ComponentChildren } from 'preact';
import { failureFor } from '../../src/field-problem.js';
import type { ApiFailure } from '../api-client.js';
import { FieldNotes, describedBy } from './field-notes.js';

interface ChoiceProps {
  name: string;
  label: string;
  hint?: ComponentChildren;
  failure?: ApiFailure | null;
  apiField?: string;
}

export function SelectField(
  props: ChoiceProps & { value: string; options: { value: string; label: string }[]; onChange: (value: string) => void },
) {
  const id = `field-${props.name}`;
  const failure = failureFor(props.failure, props.apiField ?? props.name);
  return (
    <div class={failure ? 'field field-invalid' : 'field'}>
      <label for={id}>{props.label}</label>
      <select
        id={id}
        name={props.name}
        value={props.value}
        aria-invalid={failure ? 'true' : undefined}
        aria-describedby={describedBy(id, props.hint, failure)}
        onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldNotes id={id} hint={props.hint} failure={failure} />
    </div>
  );
}

export function CheckboxField(props: ChoiceProps & { checked: boolean; onChange: (checked: boolean) => void }) {
  const id = `field-${props.name}`;
  const failure = failureFor(props.failure, props.apiField ?? props.name);
  return (
    <div class={failure ? 'field field-check field-invalid' : 'field field-check'}>
      <input
        id={id}
        name={props.name}
        type="checkbox"
        checked={props.checked}
        aria-invalid={failure ? 'true' : undefined}
        aria-describedby={describedBy(id, props.hint, failure)}
        onChange={(e) => props.onChange((e.currentTarget as HTMLInputElement).checked)}
      />
      <label for={id}>{props.label}</label>
      <FieldNotes id={id} hint={props.hint} failure={failure} />
    </div>
  );
}
