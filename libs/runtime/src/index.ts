export * from './component.js';
export { TtlCache } from './cache.js';
export { publishConfigChanged, onConfigChanged } from './config-events.js';
