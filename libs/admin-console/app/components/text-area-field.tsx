/** A labelled multi-line text box with its hint and the API's complaint below, as TextField does for one line. */
import type { ComponentChildren } from 'preact';
import { failureFor } from '../../src/field-problem.js';
import type { ApiFailure } from '../api-client.js';
import { FieldNotes, describedBy } from './field-notes.js';

export function TextAreaField(props: {
  name: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  hint?: ComponentChildren;
  failure?: ApiFailure | null;
  apiField?: string;
  rows?: number;
}) {
  const id = `field-${props.name}`;
  const failure = failureFor(props.failure, props.apiField ?? props.name);
  return (
    <div class={failure ? 'field field-wide field-invalid' : 'field field-wide'}>
      <label for={id}>{props.label}</label>
      <textarea
        id={id}
        name={props.name}
        rows={props.rows ?? 6}
        value={props.value}
        spellcheck={false}
        aria-invalid={failure ? 'true' : undefined}
        aria-describedby={describedBy(id, props.hint, failure)}
        onInput={(e) => props.onInput((e.currentTarget as HTMLTextAreaElement).value)}
      />
      <FieldNotes id={id} hint={props.hint} failure={failure} />
    </div>
  );
}
