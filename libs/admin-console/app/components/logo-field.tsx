/**
 * The portal's logo: a file chosen here is checked (PNG, JPEG or SVG, at most 100 kB) before it
 * is read as a data URL, shown as a preview and kept in the form until saved; Remove clears it.
 * A file that will not do is refused beside the field and nothing is sent.
 */
import { useState } from 'preact/hooks';
import { failureFor, problemText } from '../../src/field-problem.js';
import { LOGO_TYPES, logoProblem } from '../../src/logo-file.js';
import type { ApiFailure } from '../api-client.js';

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

export function LogoField(props: {
  value: string | null;
  onChange: (logo: string | null) => void;
  failure?: ApiFailure | null;
  /** Without it the logo is shown, with no way to change it. */
  writable: boolean;
}) {
  const [problem, setProblem] = useState<string | null>(null);
  const [inputKey, setInputKey] = useState(0);
  const apiFailure = failureFor(props.failure, 'logo');
  const shown = problem ?? (apiFailure ? problemText(apiFailure) : null);

  const chosen = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    setProblem(null);
    if (!file) return;
    const refused = logoProblem(file);
    if (refused) {
      setProblem(refused);
      setInputKey(inputKey + 1);
      return;
    }
    try {
      props.onChange(await readAsDataUrl(file));
    } catch {
      setProblem('the file could not be read');
    }
  };

  return (
    <div class={shown ? 'field field-invalid' : 'field'}>
      {props.writable ? <label for="field-logo">Logo</label> : <span class="field-label">Logo</span>}
      {props.value ? (
        <img class="logo-preview" src={props.value} alt="The logo the portal shows" />
      ) : (
        <p class="hint">No logo: the portal shows the organisation's name alone.</p>
      )}
      {props.writable && (
        <>
          <input
            key={inputKey}
            id="field-logo"
            name="logo"
            type="file"
            accept={LOGO_TYPES.join(',')}
            aria-invalid={shown ? 'true' : undefined}
            aria-describedby={shown ? 'field-logo-hint field-logo-error' : 'field-logo-hint'}
            onChange={(e) => void chosen(e.currentTarget as HTMLInputElement)}
          />
          <p class="hint" id="field-logo-hint">
            PNG, JPEG or SVG, at most 100 kB. Saved with the settings.
          </p>
        </>
      )}
      {shown && (
        <p class="field-error" id="field-logo-error" role="alert">
          {shown}
        </p>
      )}
      {props.value && props.writable && (
        <div>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setProblem(null);
              setInputKey(inputKey + 1);
              props.onChange(null);
            }}
          >
            Remove the logo
          </button>
        </div>
      )}
    </div>
  );
}
