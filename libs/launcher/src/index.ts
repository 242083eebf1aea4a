export { Launcher, type LaunchOptions } from './launcher.js';
export { resolveTargets } from './targets.js';
export { processConfigShape, loadProcessConfig } from './process-config.js';
