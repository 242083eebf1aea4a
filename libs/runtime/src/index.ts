export * from './component.js';
export type { Backend, BusEndpoints, ListenerSpec, ServiceManifest } from './service-manifest.js';
export { TtlCache } from './cache.js';
export { Batcher, BatchError, type BatcherOptions } from './batcher.js';
export { publishConfigChanged, onConfigChanged } from './config-events.js';
export { PolicySource, PolicySourceError, checkPolicy, isLocked, otpFailureKey, passwordFailureKey } from './lockout-policy.js';
export { systemClock, type Clock } from './clock.js';
export { requestWithinBudget, RETRIED_BUS_ERRORS, type RequestBudget } from './request-within-budget.js';
export * from './smtp-mailer.js';
