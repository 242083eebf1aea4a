import { createCipheriv, createDecipheriv, createSecretKey, randomFillSync, type KeyObject } from 'node:crypto';

/**
 * Sealing of every message Tollgate sends on its bus (NATS), so the bus is not a trust boundary:
 * a bus observer (the NATS server included) learns no password or code, and a forged answer
 * fails to open, so it can only ever cause a reject. AES-256-GCM under a key derived from the
 * master key for this purpose alone (`Keyring.deriveKey`).
 *
 * A sealed message is `header | tag(16) | ciphertext`, the header being
 * `version(1) | kind(1) | time(8, ms since the epoch, big-endian) | iv(12)`. The additional data
 * is the header, the subject and, for a reply, the iv of the request it answers:
 * - a request's iv is its id; its time is its expiry (the sender's deadline), so a captured
 *   request is refused once its sender has stopped waiting;
 * - a reply (or error reply) is bound to the subject and to its request's id, so it cannot answer
 *   another request, and its time must lie within the request's life;
 * - an event's time is when it was sent; it is refused after `EVENT_MAX_AGE_MS`.
 * The kind byte is authenticated, so a request cannot pass for a reply or an event.
 */
export type SealKind = 'request' | 'reply' | 'error' | 'event';
const KIND_BYTE: Record<SealKind, number> = { request: 1, reply: 2, error: 3, event: 4 };
const KIND_OF_BYTE: ReadonlyArray<SealKind | undefined> = [undefined, 'request', 'reply', 'error', 'event'];

/** Why a message was refused: no seal at all, a seal that does not open, or one out of its time. */
export type SealFailure = 'unsealed' | 'bad_seal' | 'stale';

export type Opened<T> = { ok: true; value: T } | { ok: false; reason: SealFailure };

const VERSION = 1;
const HEADER_BYTES = 1 + 1 + 8 + 12;
const TAG_BYTES = 16;
const IV_OFFSET = 10;

/** Clocks of two hosts may differ by this much; beyond it their messages are refused as stale. */
export const CLOCK_SKEW_MS = 5_000;
/** The longest a request may claim to live (the bus contracts allow budgets up to 60 s). */
export const REQUEST_MAX_TTL_MS = 60_000;
/** Events (configuration changes) older than this are refused. */
export const EVENT_MAX_AGE_MS = 30_000;

export interface SealedRequest {
  data: Uint8Array;
  /** The request's id (its iv): the reply must be bound to it. */
  id: Uint8Array;
  /** When it was sealed and when the sender stops waiting (ms since the epoch). */
  sentAt: number;
  expiresAt: number;
}

export interface OpenedRequest {
  plaintext: Uint8Array;
  id: Uint8Array;
  expiresAt: number;
}

export interface OpenedReply {
  kind: 'reply' | 'error';
  plaintext: Uint8Array;
}

/** The purpose the bus key is derived for: it opens bus messages and nothing else. */
export const BUS_KEY_PURPOSE = 'bus/v1';

export class BusSeal {
  readonly #key: KeyObject;
  readonly #now: () => number;
  // The few subjects of an installation, each kept as its additional-data bytes.
  readonly #subjects = new Map<string, Buffer>();
  // Random ivs drawn a pool at a time: one call to the random source per 256 messages, not one each.
  #ivPool = Buffer.alloc(0);
  #ivOffset = 0;

  /** `key`: 32 bytes for this purpose only (from `Keyring.deriveKey`). `now`: ms since the epoch. */
  constructor(key: Uint8Array, now: () => number = Date.now) {
    if (key.length !== 32) throw new RangeError('a bus key is 32 bytes');
    this.#key = createSecretKey(Buffer.from(key));
    this.#now = now;
  }

  /** The installation's bus seal: a key derived from the master key for the bus alone. */
  static fromKeyring(keyring: { deriveKey(purpose: string): Uint8Array }, now?: () => number): BusSeal {
    return new BusSeal(keyring.deriveKey(BUS_KEY_PURPOSE), now);
  }

  sealRequest(subject: string, plaintext: Uint8Array, timeoutMs: number): SealedRequest {
    const sentAt = this.#now();
    const expiresAt = sentAt + Math.max(0, Math.min(timeoutMs, REQUEST_MAX_TTL_MS));
    const data = this.#seal('request', expiresAt, subject, undefined, plaintext);
    return { data, id: data.subarray(IV_OFFSET, HEADER_BYTES), sentAt, expiresAt };
  }

  openRequest(subject: string, data: Uint8Array): Opened<OpenedRequest> {
    const opened = this.#open(data, subject, undefined);
    if (!opened.ok) return opened;
    const { kind, time, plaintext, iv } = opened.value;
    if (kind !== 'request') return { ok: false, reason: 'bad_seal' };
    const now = this.#now();
    if (time + CLOCK_SKEW_MS < now || time > now + REQUEST_MAX_TTL_MS + CLOCK_SKEW_MS) return { ok: false, reason: 'stale' };
    return { ok: true, value: { plaintext, id: iv, expiresAt: time } };
  }

  /** Seals the answer (`kind` reply) or error (`kind` error) to the request `requestId`. */
  sealReply(subject: string, requestId: Uint8Array, plaintext: Uint8Array, kind: 'reply' | 'error' = 'reply'): Uint8Array {
    return this.#seal(kind, this.#now(), subject, requestId, plaintext);
  }

  /** Opens an answer to the request sealed as `request`; it must have been sealed for it, during its life. */
  openReply(subject: string, request: Omit<SealedRequest, 'data'>, data: Uint8Array): Opened<OpenedReply> {
    const opened = this.#open(data, subject, request.id);
    if (!opened.ok) return opened;
    const { kind, time, plaintext } = opened.value;
    if (kind !== 'reply' && kind !== 'error') return { ok: false, reason: 'bad_seal' };
    if (time > request.expiresAt + CLOCK_SKEW_MS || time + CLOCK_SKEW_MS < request.sentAt) return { ok: false, reason: 'stale' };
    return { ok: true, value: { kind, plaintext } };
  }

  sealEvent(subject: string, plaintext: Uint8Array): Uint8Array {
    return this.#seal('event', this.#now(), subject, undefined, plaintext);
  }

  openEvent(subject: string, data: Uint8Array): Opened<Uint8Array> {
    const opened = this.#open(data, subject, undefined);
    if (!opened.ok) return opened;
    const { kind, time, plaintext } = opened.value;
    if (kind !== 'event') return { ok: false, reason: 'bad_seal' };
    const now = this.#now();
    if (time + EVENT_MAX_AGE_MS < now || time > now + CLOCK_SKEW_MS) return { ok: false, reason: 'stale' };
    return { ok: true, value: plaintext };
  }

  #seal(kind: SealKind, time: number, subject: string, boundTo: Uint8Array | undefined, plaintext: Uint8Array): Uint8Array {
    const out = Buffer.allocUnsafe(HEADER_BYTES + TAG_BYTES + plaintext.length);
    out[0] = VERSION;
    out[1] = KIND_BYTE[kind];
    out.writeBigUInt64BE(BigInt(Math.floor(time)), 2);
    const iv = out.subarray(IV_OFFSET, HEADER_BYTES);
    this.#nextIv(iv);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    this.#setAdditionalData(cipher, out.subarray(0, HEADER_BYTES), subject, boundTo);
    const body = cipher.update(plaintext);
    cipher.final();
    cipher.getAuthTag().copy(out, HEADER_BYTES);
    body.copy(out, HEADER_BYTES + TAG_BYTES);
    return out;
  }

  #nextIv(into: Buffer): void {
    if (this.#ivOffset + 12 > this.#ivPool.length) {
      this.#ivPool = randomFillSync(Buffer.allocUnsafe(IV_POOL_BYTES));
      this.#ivOffset = 0;
    }
    this.#ivPool.copy(into, 0, this.#ivOffset, this.#ivOffset + 12);
    // Wiped once copied: an iv handed out is never at hand to be handed out again.
    this.#ivPool.fill(0, this.#ivOffset, this.#ivOffset + 12);
    this.#ivOffset += 12;
  }

  /** The additional data: header | subject | 0x00 | the request id a reply is bound to (none for requests and events). */
  #setAdditionalData(cipher: { setAAD(data: Buffer): unknown }, header: Buffer, subject: string, boundTo: Uint8Array | undefined): void {
    let subjectBytes = this.#subjects.get(subject);
    if (!subjectBytes) {
      subjectBytes = Buffer.concat([Buffer.from(subject, 'utf8'), Buffer.of(0)]);
      if (this.#subjects.size < 1024) this.#subjects.set(subject, subjectBytes);
    }
    cipher.setAAD(boundTo ? Buffer.concat([header, subjectBytes, boundTo]) : Buffer.concat([header, subjectBytes]));
  }

  #open(
    data: Uint8Array,
    subject: string,
    boundTo: Uint8Array | undefined,
  ): Opened<{ kind: SealKind; time: number; iv: Uint8Array; plaintext: Uint8Array }> {
    if (data.length < HEADER_BYTES + TAG_BYTES || data[0] !== VERSION) return { ok: false, reason: 'unsealed' };
    const kind = KIND_OF_BYTE[data[1]!];
    if (!kind) return { ok: false, reason: 'unsealed' };
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.length);
    const iv = bytes.subarray(IV_OFFSET, HEADER_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, iv);
      this.#setAdditionalData(decipher, bytes.subarray(0, HEADER_BYTES), subject, boundTo);
      decipher.setAuthTag(bytes.subarray(HEADER_BYTES, HEADER_BYTES + TAG_BYTES));
      const plaintext = Buffer.concat([decipher.update(bytes.subarray(HEADER_BYTES + TAG_BYTES)), decipher.final()]);
      return { ok: true, value: { kind, time: Number(bytes.readBigUInt64BE(2)), iv: Buffer.from(iv), plaintext } };
    } catch {
      return { ok: false, reason: 'bad_seal' };
    }
  }
}

const IV_POOL_BYTES = 12 * 256;
