export { Launcher, type LaunchOptions } from './launcher.js';
export { resolveTargets } from './targets.js';
export { processConfigShape, loadProcessConfig } from './process-config.js';
export { MANIFESTS, START_ORDER, SERVICE_NAMES } from './service-registry.js';
export { configSources } from './config-sources.js';
