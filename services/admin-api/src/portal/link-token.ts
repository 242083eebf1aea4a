/** An enrolment link's secret: 32 random bytes (base64url, 43 characters). Only its SHA-256 is stored. */
import { createHash, randomBytes } from 'node:crypto';

export function newLinkToken(): { token: string; sha256: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, sha256: linkTokenHash(token) };
}

export function linkTokenHash(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** The address a user opens: `<publicUrl>/l/<token>`. */
export function linkUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/l/${token}`;
}
