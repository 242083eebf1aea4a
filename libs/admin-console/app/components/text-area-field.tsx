/** A labelled multi-line text box with its hint and the API's complaint below, as TextField does for one line. */
import type { ComponentChildren } from 'preact';
import { failureFor, problemText } from '../../src/field-problem.js';
import type { ApiFailure } from '../api-client.js';

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
  const described = [props.hint ? `${id}-hint` : '', failure ? `${id}-error` : ''].filter(Boolean).join(' ');
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
        aria-describedby={described || undefined}
        onInput={(e) => props.onInput((e.currentTarget as HTMLTextAreaElement).value)}
      />
      {props.hint && (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      {failure && (
        <p class="field-error" id={`${id}-error`} role="alert">
          {problemText(failure)}
        </p>
      )}
    </div>
  );
}
