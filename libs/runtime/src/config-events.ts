import { ConfigChanged, subject } from '@tollgate/contracts';
import type { ServiceContext } from './component.js';

/** Tells every process that configuration changed (admin-api calls this after each write). */
export function publishConfigChanged(context: Pick<ServiceContext, 'bus' | 'subjectPrefix'>, event: ConfigChanged): void {
  context.bus.publish(subject(context.subjectPrefix, 'configChanged'), ConfigChanged.parse(event));
}

/** Calls `handler` for every valid config event; returns the unsubscribe. */
export function onConfigChanged(
  context: Pick<ServiceContext, 'bus' | 'subjectPrefix'>,
  handler: (event: ConfigChanged) => void,
): () => void {
  return context.bus.subscribe(subject(context.subjectPrefix, 'configChanged'), (payload) => {
    const parsed = ConfigChanged.safeParse(payload);
    if (parsed.success) handler(parsed.data);
  });
}
