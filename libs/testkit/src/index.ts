export * from './test-database.js';
export * from './free-port.js';
export * from './tollgate-process.js';
