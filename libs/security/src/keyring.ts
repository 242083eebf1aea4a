import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { TollgateError } from '@tollgate/contracts';

/**
 * AES-256-GCM sealing of secrets at rest (TOTP seeds, RADIUS shared secrets, Entra client
 * secret). A sealed value is `v1.<base64url(iv | tag | ciphertext)>`. The `context` string is
 * bound as additional authenticated data, so a ciphertext moved to another row (another user's
 * seed, say) fails to open.
 */
export class KeyringError extends TollgateError<'bad_key' | 'bad_ciphertext'> {}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class Keyring {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new KeyringError('bad_key', 'master key must be 32 bytes');
    this.#key = Buffer.from(key);
  }

  /** Parses a base64 (or base64url) master key; throws if it is not exactly 32 bytes. */
  static fromBase64(text: string): Keyring {
    const trimmed = text.trim();
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
      throw new KeyringError('bad_key', 'master key must be base64');
    }
    return new Keyring(Buffer.from(trimmed, 'base64'));
  }

  static generateBase64(): string {
    return randomBytes(32).toString('base64');
  }

  /**
   * A 32-byte key for one purpose (HKDF-SHA256 of the master key, the purpose as its info), so a
   * key handed to one use, such as sealing bus messages, opens nothing sealed for another.
   */
  deriveKey(purpose: string): Buffer {
    if (!purpose) throw new KeyringError('bad_key', 'a derived key needs a purpose');
    return Buffer.from(hkdfSync('sha256', this.#key, Buffer.alloc(0), Buffer.from(`tollgate/${purpose}`, 'utf8'), 32));
  }

  seal(plaintext: string | Buffer, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const tag = cipher.getAuthTag();
    return `${VERSION}.${Buffer.concat([iv, tag, ct]).toString('base64url')}`;
  }

  open(sealed: string, context: string): Buffer {
    const dot = sealed.indexOf('.');
    if (dot < 0 || sealed.slice(0, dot) !== VERSION) {
      throw new KeyringError('bad_ciphertext', 'sealed value has an unknown format');
    }
    const raw = Buffer.from(sealed.slice(dot + 1), 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new KeyringError('bad_ciphertext', 'sealed value is truncated');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch {
      throw new KeyringError('bad_ciphertext', 'sealed value does not open with this key and context');
    }
  }

  openText(sealed: string, context: string): string {
    return this.open(sealed, context).toString('utf8');
  }
}
