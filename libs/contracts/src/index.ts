export * from './subjects.js';
export * from './reasons.js';
export * from './entra.js';
export * from './otp.js';
export * from './decide.js';
export * from './events.js';
export * from './bus-error.js';
