/**
 * @tollgate/totp: TOTP (RFC 6238) generation and verification with time passed in, Base32
 * seeds, otpauth URIs and the Azure MFA OATH hardware-token CSV. Pure: no I/O, no clock.
 */
export * from './totp-error.js';
export * from './base32-seed.js';
export * from './totp.js';
export * from './generate-seed.js';
export * from './otpauth-uri.js';
export * from './token-label.js';
export * from './parse-oath-csv.js';
export { readCsvRecords, type CsvRecord } from './read-csv-records.js';
