export { aggregator } from './manifest.js';
export { Aggregator } from './aggregator.js';
export { decide } from './policy.js';
export { splitPassword } from './split-password.js';
export { aggregatorConfigShape } from './config.js';
