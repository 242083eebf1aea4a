import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { BusSeal, CLOCK_SKEW_MS, EVENT_MAX_AGE_MS, REQUEST_MAX_TTL_MS, type SealFailure } from './bus-seal.js';
import { Keyring } from './keyring.js';

const text = (s: string) => new TextEncoder().encode(s);
const SUBJECT = 'tollgate.auth.v1.verify.entra';
const PAYLOAD = '{"upn":"alice@contoso.com","password":"Secret-Pass"}';

/** A seal whose clock the test moves. */
function sealAt(key: Uint8Array, start = 1_800_000_000_000) {
  const clock = { now: start };
  return { seal: new BusSeal(key, () => clock.now), clock };
}

const key = randomBytes(32);

test('a request opens for its subject, and its ciphertext shows nothing of the payload', () => {
  const { seal } = sealAt(key);
  const sealed = seal.sealRequest(SUBJECT, text(PAYLOAD), 2_000);
  const wire = Buffer.from(sealed.data).toString('latin1');
  for (const secret of ['Secret-Pass', 'alice', 'password']) assert.ok(!wire.includes(secret), secret);
  const opened = seal.openRequest(SUBJECT, sealed.data);
  assert.ok(opened.ok);
  assert.equal(Buffer.from(opened.value.plaintext).toString(), PAYLOAD);
  assert.deepEqual(Buffer.from(opened.value.id), Buffer.from(sealed.id));
  assert.equal(opened.value.expiresAt, sealed.expiresAt);
});

test('sealing the same payload twice gives different messages and ids', () => {
  const { seal } = sealAt(key);
  const a = seal.sealRequest(SUBJECT, text(PAYLOAD), 2_000);
  const b = seal.sealRequest(SUBJECT, text(PAYLOAD), 2_000);
  assert.notDeepEqual(Buffer.from(a.data), Buffer.from(b.data));
  assert.notDeepEqual(Buffer.from(a.id), Buffer.from(b.id));
});

test('a reply opens only for the request it answers, on its subject', () => {
  const { seal } = sealAt(key);
  const request = seal.sealRequest(SUBJECT, text(PAYLOAD), 2_000);
  const other = seal.sealRequest(SUBJECT, text(PAYLOAD), 2_000);
  const served = seal.openRequest(SUBJECT, request.data);
  assert.ok(served.ok);
  const reply = seal.sealReply(SUBJECT, served.value.id, text('{"outcome":"password_ok_mfa"}'));
  const opened = seal.openReply(SUBJECT, request, reply);
  assert.ok(opened.ok);
  assert.equal(opened.value.kind, 'reply');
  assert.equal(Buffer.from(opened.value.plaintext).toString(), '{"outcome":"password_ok_mfa"}');
  assert.deepEqual(seal.openReply(SUBJECT, other, reply), { ok: false, reason: 'bad_seal' });
  assert.deepEqual(seal.openReply('tollgate.auth.v1.verify.otp', request, reply), { ok: false, reason: 'bad_seal' });
  const error = seal.sealReply(SUBJECT, served.value.id, text('{"code":"bad_request"}'), 'error');
  const openedError = seal.openReply(SUBJECT, request, error);
  assert.ok(openedError.ok);
  assert.equal(openedError.value.kind, 'error');
});

/** Every way a message fails, and the reason each is refused with. */
const refusals: Array<{
  name: string;
  reason: SealFailure;
  attempt: (seal: BusSeal, clock: { now: number }) => { ok: boolean; reason?: SealFailure };
}> = [
  {
    name: 'plain JSON (what a rogue client sends)',
    reason: 'unsealed',
    attempt: (seal) => seal.openRequest(SUBJECT, text('{"outcome":"valid"}')),
  },
  { name: 'empty message', reason: 'unsealed', attempt: (seal) => seal.openRequest(SUBJECT, new Uint8Array()) },
  {
    name: 'unknown version',
    reason: 'unsealed',
    attempt: (seal) => {
      const data = Buffer.from(seal.sealRequest(SUBJECT, text(PAYLOAD), 2_000).data);
      data[0] = 9;
      return seal.openRequest(SUBJECT, data);
    },
  },
  {
    name: 'a flipped ciphertext bit',
    reason: 'bad_seal',
    attempt: (seal) => {
      const data = Buffer.from(seal.sealRequest(SUBJECT, text(PAYLOAD), 2_000).data);
      data[data.length - 1]! ^= 1;
      return seal.openRequest(SUBJECT, data);
    },
  },
  {
    name: 'a moved expiry (header is authenticated)',
    reason: 'bad_seal',
    attempt: (seal) => {
      const data = Buffer.from(seal.sealRequest(SUBJECT, text(PAYLOAD), 2_000).data);
      data.writeBigUInt64BE(data.readBigUInt64BE(2) + 60_000n, 2);
      return seal.openRequest(SUBJECT, data);
    },
  },
  {
    name: 'a request sent to another subject',
    reason: 'bad_seal',
    attempt: (seal) => seal.openRequest('tollgate.admin.v1.entra.test', seal.sealRequest(SUBJECT, text(PAYLOAD), 2_000).data),
  },
  {
    name: 'a request sealed under another key',
    reason: 'bad_seal',
    attempt: (seal) => seal.openRequest(SUBJECT, new BusSeal(randomBytes(32)).sealRequest(SUBJECT, text(PAYLOAD), 2_000).data),
  },
  {
    name: 'a reply passed off as a request',
    reason: 'bad_seal',
    attempt: (seal) => {
      const request = seal.sealRequest(SUBJECT, text(PAYLOAD), 2_000);
      return seal.openRequest(SUBJECT, seal.sealReply(SUBJECT, request.id, text('{}')));
    },
  },
  {
    name: 'an event passed off as a reply',
    reason: 'bad_seal',
    attempt: (seal) => seal.openReply(SUBJECT, seal.sealRequest(SUBJECT, text(PAYLOAD), 2_000), seal.sealEvent(SUBJECT, text('{}'))),
  },
  {
    name: 'a request replayed after its sender gave up',
    reason: 'stale',
    attempt: (seal, clock) => {
      const request = seal.sealRequest(SUBJECT, text(PAYLOAD), 2_000);
      clock.now += 2_000 + CLOCK_SKEW_MS + 1;
      return seal.openRequest(SUBJECT, request.data);
    },
  },
  {
    name: 'a reply sealed after the request expired',
    reason: 'stale',
    attempt: (seal, clock) => {
      const request = seal.sealRequest(SUBJECT, text(PAYLOAD), 2_000);
      clock.now += 2_000 + CLOCK_SKEW_MS + 1;
      return seal.openReply(SUBJECT, request, seal.sealReply(SUBJECT, request.id, text('{}')));
    },
  },
  {
    name: 'an old event',
    reason: 'stale',
    attempt: (seal, clock) => {
      const event = seal.sealEvent(SUBJECT, text('{}'));
      clock.now += EVENT_MAX_AGE_MS + 1;
      return seal.openEvent(SUBJECT, event);
    },
  },
];

for (const { name, reason, attempt } of refusals) {
  test(`refused: ${name} (${reason})`, () => {
    const { seal, clock } = sealAt(key);
    const result = attempt(seal, clock);
    assert.equal(result.ok, false);
    assert.equal(result.reason, reason);
  });
}

test('clock skew between hosts up to the allowance is tolerated', () => {
  const sender = sealAt(key);
  const receiver = sealAt(key, sender.clock.now + CLOCK_SKEW_MS - 1);
  const request = sender.seal.sealRequest(SUBJECT, text(PAYLOAD), 1);
  assert.ok(receiver.seal.openRequest(SUBJECT, request.data).ok);
  const ahead = sealAt(key, sender.clock.now - CLOCK_SKEW_MS + 1);
  const event = sender.seal.sealEvent(SUBJECT, text('{}'));
  assert.ok(ahead.seal.openEvent(SUBJECT, event).ok);
});

test('a request claims at most the longest bus timeout, whatever the sender asks', () => {
  const { seal, clock } = sealAt(key);
  const request = seal.sealRequest(SUBJECT, text(PAYLOAD), 10 * REQUEST_MAX_TTL_MS);
  assert.equal(request.expiresAt - clock.now, REQUEST_MAX_TTL_MS);
});

test('the installation seal is derived from the master key: the same for every service holding it', () => {
  const master = Keyring.fromBase64(Keyring.generateBase64());
  const a = BusSeal.fromKeyring(master);
  const b = BusSeal.fromKeyring(Keyring.fromBase64(Buffer.from(master.deriveKey('x')).toString('base64')));
  const sealed = a.sealRequest(SUBJECT, text(PAYLOAD), 1_000);
  assert.ok(BusSeal.fromKeyring(master).openRequest(SUBJECT, sealed.data).ok);
  assert.equal(b.openRequest(SUBJECT, sealed.data).ok, false);
});

/**
 * The wire format written out by hand (header | tag | ciphertext; additional data header |
 * subject | 0x00 | bound request id): replicas of different builds must open each other's messages.
 */
function sealByHand(kind: number, time: number, iv: Buffer, subject: string, boundTo: Buffer | undefined, plaintext: Buffer): Buffer {
  const header = Buffer.alloc(22);
  header[0] = 1;
  header[1] = kind;
  header.writeBigUInt64BE(BigInt(time), 2);
  iv.copy(header, 10);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.concat([header, Buffer.from(`${subject}\0`), boundTo ?? Buffer.alloc(0)]));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, cipher.getAuthTag(), body]);
}

function openByHand(data: Buffer, subject: string, boundTo: Buffer | undefined): { kind: number; time: number; plaintext: string } {
  const header = data.subarray(0, 22);
  const decipher = createDecipheriv('aes-256-gcm', key, header.subarray(10, 22));
  decipher.setAAD(Buffer.concat([header, Buffer.from(`${subject}\0`), boundTo ?? Buffer.alloc(0)]));
  decipher.setAuthTag(data.subarray(22, 38));
  const plaintext = Buffer.concat([decipher.update(data.subarray(38)), decipher.final()]).toString();
  return { kind: header[1]!, time: Number(header.readBigUInt64BE(2)), plaintext };
}

test('the wire format: messages sealed by hand open, and sealed messages open by hand', () => {
  // A time past 2^32 ms, so both halves of the 8-byte field matter.
  const { seal, clock } = sealAt(key, 1_800_000_123_456);
  const request = seal.sealRequest(SUBJECT, text(PAYLOAD), 2_000);
  assert.deepEqual(openByHand(Buffer.from(request.data), SUBJECT, undefined), {
    kind: 1,
    time: clock.now + 2_000,
    plaintext: PAYLOAD,
  });
  const id = Buffer.from(request.id);
  const reply = seal.sealReply(SUBJECT, id, text('{"outcome":"valid"}'));
  assert.deepEqual(openByHand(Buffer.from(reply), SUBJECT, id), { kind: 2, time: clock.now, plaintext: '{"outcome":"valid"}' });
  const event = seal.sealEvent(SUBJECT, text('{"changed":"users"}'));
  assert.deepEqual(openByHand(Buffer.from(event), SUBJECT, undefined), { kind: 4, time: clock.now, plaintext: '{"changed":"users"}' });

  const handRequest = sealByHand(1, clock.now + 1_000, randomBytes(12), SUBJECT, undefined, Buffer.from(PAYLOAD));
  const served = seal.openRequest(SUBJECT, handRequest);
  assert.ok(served.ok);
  assert.equal(Buffer.from(served.value.plaintext).toString(), PAYLOAD);
  assert.equal(served.value.expiresAt, clock.now + 1_000);
  const handReply = sealByHand(2, clock.now, randomBytes(12), SUBJECT, id, Buffer.from('{"outcome":"valid"}'));
  const opened = seal.openReply(SUBJECT, request, handReply);
  assert.ok(opened.ok);
  assert.equal(Buffer.from(opened.value.plaintext).toString(), '{"outcome":"valid"}');
  // Bound to another request id, the same reply is refused.
  const misbound = sealByHand(2, clock.now, randomBytes(12), SUBJECT, randomBytes(12), Buffer.from('{"outcome":"valid"}'));
  assert.deepEqual(seal.openReply(SUBJECT, request, misbound), { ok: false, reason: 'bad_seal' });
});

test('a long subject seals and opens as any other, and only for itself', () => {
  const { seal } = sealAt(key);
  const long = `tollgate.${'x'.repeat(2_000)}`;
  const request = seal.sealRequest(long, text(PAYLOAD), 2_000);
  assert.equal(openByHand(Buffer.from(request.data), long, undefined).plaintext, PAYLOAD);
  const served = seal.openRequest(long, request.data);
  assert.ok(served.ok);
  assert.deepEqual(seal.openRequest(SUBJECT, request.data), { ok: false, reason: 'bad_seal' });
});
