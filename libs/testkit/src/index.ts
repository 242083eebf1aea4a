export * from './test-database.js';
export * from './free-port.js';
export * from './tollgate-process.js';
export * from './oathtool.js';
export * from './entra-stand-in.js';
export * from './radclient.js';
export * from './raw-radius.js';
