export * from './keyring.js';
export * from './compare.js';
export * from './random.js';
export * from './bus-seal.js';
export * from './seal-selector.js';
