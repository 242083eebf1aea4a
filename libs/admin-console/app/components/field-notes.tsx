/** What every labelled field shows below its control: its hint and the API's complaint, tied to the control for screen readers. */
import type { ComponentChildren } from 'preact';
import { problemText } from '../../src/field-problem.js';
import type { ApiFailure } from '../api-client.js';

/** The control's `aria-describedby`: the ids of the notes below it that are shown. */
export function describedBy(id: string, hint: unknown, failure: unknown): string | undefined {
  return [hint ? `${id}-hint` : '', failure ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

export function FieldNotes(props: { id: string; hint?: ComponentChildren; failure: ApiFailure | null }) {
  return (
    <>
      {props.hint && (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.failure && (
        <p class="field-error" id={`${props.id}-error`} role="alert">
          {problemText(props.failure)}
        </p>
      )}
    </>
  );
}
