export { startTelemetry, type Telemetry, type TelemetryOptions } from './start-telemetry.js';
export { tracingEnabled, serviceNameFor } from './tracing-settings.js';
