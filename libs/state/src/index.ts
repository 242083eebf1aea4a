export type { StateStore, StateCallOptions } from './state-store.js';
export { RedisStateStore, DEFAULT_REDIS_COMMAND_TIMEOUT_MS, reconnectDelay, type RedisStateStoreOptions } from './redis-state-store.js';
export { MemoryStateStore } from './memory-state-store.js';
export { StateError, type StateErrorCode } from './state-error.js';
