import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * A value the portal keeps in the browser for a short while (the sign-in's state, nonce and PKCE
 * verifier): AES-256-GCM, the cookie's name as additional data (so a value sealed for one cookie
 * does not open as another), its expiry inside the ciphertext. Any replica with the portal key
 * opens it; nobody else reads or changes it. Format: base64url(iv(12) | tag(16) | ciphertext).
 */
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function sealCookie(key: Buffer, name: string, value: unknown, ttlMs: number, now = Date.now()): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`cookie:${name}`));
  const plaintext = Buffer.from(JSON.stringify({ exp: now + ttlMs, value }));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64url');
}

/** The sealed value, or undefined if it does not open (another key, another name, changed) or has expired. */
export function openCookie(key: Buffer, name: string, sealed: string | undefined, now = Date.now()): unknown {
  if (!sealed || !/^[A-Za-z0-9_-]+$/.test(sealed) || sealed.length > 4096) return undefined;
  const raw = Buffer.from(sealed, 'base64url');
  if (raw.length <= IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(`cookie:${name}`));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const plaintext = Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    const parsed = JSON.parse(plaintext.toString('utf8')) as { exp?: unknown; value?: unknown };
    if (typeof parsed.exp !== 'number' || parsed.exp <= now) return undefined;
    return parsed.value;
  } catch {
    return undefined;
  }
}
