/**
 * Copies a text to the clipboard and says so beside the button (a live region); when the browser
 * refuses, it says to select the text instead. The text is never logged or kept.
 */
import { useState } from 'preact/hooks';

export function CopyButton(props: { text: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'refused'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.text);
      setState('copied');
    } catch {
      setState('refused');
    }
  };
  return (
    <span class="copy">
      <button type="button" class="secondary" onClick={copy}>
        {props.label}
      </button>
      <span class="hint" role="status">
        {state === 'copied' ? 'Copied.' : state === 'refused' ? 'The browser did not allow copying: select the text and copy it.' : ''}
      </span>
    </span>
  );
}
