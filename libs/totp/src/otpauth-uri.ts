import { generateURI } from 'otplib';
import { encodeBase32, parseBase32Seed } from './base32-seed.js';
import { TotpError } from './totp-error.js';
import type { TotpAlgorithm, TotpDigits, TotpPeriod } from './totp.js';

/**
 * The `otpauth://totp/Issuer:label?secret=…&issuer=…` URI authenticator apps scan as a QR code
 * (Google "Key Uri Format"). It contains the seed: show it once, never log it.
 */
export interface OtpauthUriOptions {
  issuer: string;
  /** The account name shown in the app, normally the UPN. */
  label: string;
  secret: Uint8Array | string;
  digits?: TotpDigits;
  period?: TotpPeriod;
  algorithm?: TotpAlgorithm;
}

const ALGORITHMS = { SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' } as const;

export function otpauthUri(options: OtpauthUriOptions): string {
  const issuer = options.issuer?.trim() ?? '';
  const label = options.label?.trim() ?? '';
  // The colon separates issuer from account in the label; apps split on the first one.
  if (!issuer || issuer.includes(':')) throw new TotpError('invalid_parameters', 'issuer must be non-empty and contain no colon');
  if (!label || label.includes(':')) throw new TotpError('invalid_parameters', 'label must be non-empty and contain no colon');
  const digits = options.digits ?? 6;
  const period = options.period ?? 30;
  const algorithm = options.algorithm ?? 'SHA1';
  if (digits !== 6 && digits !== 8) throw new TotpError('invalid_parameters', 'digits must be 6 or 8');
  if (period !== 30 && period !== 60) throw new TotpError('invalid_parameters', 'period must be 30 or 60');
  if (!Object.hasOwn(ALGORITHMS, algorithm)) throw new TotpError('invalid_parameters', 'algorithm must be SHA1, SHA256 or SHA512');
  const secret = typeof options.secret === 'string' ? parseBase32Seed(options.secret).base32 : encodeBase32(parseBytes(options.secret));
  return generateURI({ strategy: 'totp', issuer, label, secret, digits, period, algorithm: ALGORITHMS[algorithm] });
}

function parseBytes(bytes: Uint8Array): Uint8Array {
  // Round-trip through the parser so byte seeds get the same length checks as text ones.
  return parseBase32Seed(encodeBase32(bytes)).bytes;
}
