/** A message for the person at the screen: an error (announced at once) or a confirmation. */
import type { ComponentChildren } from 'preact';

export function Notice(props: { kind: 'error' | 'success' | 'info'; children: ComponentChildren }) {
  return (
    <div class={`notice notice-${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.children}
    </div>
  );
}
