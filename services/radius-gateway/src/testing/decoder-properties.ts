/**
 * Properties of the RADIUS decoder, for fast-check: the suite runs them with a fixed seed and a
 * small count (decode-request.property.test.ts), scripts/fuzz-radius.mjs runs the same ones for
 * as long as asked. Not loaded by the gateway itself (fast-check is a dev dependency).
 *
 * What must hold for any datagram: decoding never throws (the codec's own UserPasswordError is
 * caught inside it), and nothing that is not byte for byte what a NAS signed with the client's
 * secret is ever treated as authenticated: not random bytes, not a signed packet with any
 * mutation in the octets its Message-Authenticator covers, not one signed with another secret.
 * Signed packets with arbitrary text attributes are either decoded faithfully (and then pass
 * the bus contract) or refused as invalid, never garbled.
 */
import fc from 'fast-check';
import { DecideRequest, TollgateError } from '@tollgate/contracts';
import { createLogger } from '@tollgate/logging';
import { MemoryStateStore } from '@tollgate/state';
import { encodeUserPassword, radiusPackage as radius } from '@tollgate/testkit';
import { Registry } from 'prom-client';
import { ClientTable } from '../client-table.js';
import { decodeRequest, type DecodeOptions, type DecodeOutcome, type DecodeResult } from '../decode-request.js';
import { registerGatewayMetrics } from '../gateway-metrics.js';
import { PacketHandler } from '../packet-handler.js';
import { parsePacket } from '../parse-packet.js';
import { Attr, Code } from '../radius-constants.js';
import { RetransmitCache } from '../retransmit-cache.js';

export const SECRET = 'fuzz-shared-secret';
const secret = Buffer.from(SECRET);
const OUTCOMES: readonly DecodeOutcome[] = [
  'ok',
  'malformed',
  'unsupported_code',
  'missing_message_authenticator',
  'bad_message_authenticator',
  'proxy_state_without_ma',
];

/** Thrown when a property fails, carrying what to replay. */
export class PropertyViolation extends TollgateError<'property_violation'> {
  constructor(message: string) {
    super('property_violation', message);
  }
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new PropertyViolation(message);
}

/** One datagram decoded end to end, as packet-handler.ts does it: parsed, then decoded with the client's secret. */
export function decodeDatagram(datagram: Buffer, key: Buffer, options: DecodeOptions): DecodeResult {
  const parsed = parsePacket(datagram);
  if (!parsed.ok) return { outcome: 'malformed', problem: parsed.problem };
  return decodeRequest(parsed.packet, key, options);
}

export type Decoder = typeof decodeDatagram;

/**
 * Whether the datagram carries a Message-Authenticator (read apart from the decoder under test):
 * a request decoded as `ok` with one had it verified, since one that does not verify is refused.
 */
function carriesMessageAuthenticator(datagram: Buffer): boolean {
  const parsed = parsePacket(datagram);
  return parsed.ok && parsed.packet.attributes.some((a) => a.type === Attr.MessageAuthenticator);
}

/** Decodes, turning a throw into a violation (the decoder must return for every input). */
function decodeWith(decoder: Decoder, datagram: Buffer, requireMessageAuthenticator: boolean, key: Buffer = secret): DecodeResult {
  let result: DecodeResult;
  try {
    result = decoder(datagram, key, { requireMessageAuthenticator });
  } catch (error) {
    throw new PropertyViolation(`decodeDatagram threw ${(error as Error)?.name}: ${(error as Error)?.message}`);
  }
  check(OUTCOMES.includes(result.outcome), `unknown outcome ${String(result.outcome)}`);
  return result;
}

/** The octets a Message-Authenticator covers: the packet up to its Length field. */
function covered(packet: Buffer): Buffer {
  return packet.length < 4 ? packet : packet.subarray(0, packet.readUInt16BE(2));
}

// ---- arbitraries --------------------------------------------------------------------------

/** Text the way it may come from a NAS: plain, any Unicode, control characters, raw bytes. */
const textOctets = (maxLength: number): fc.Arbitrary<Buffer> =>
  fc
    .oneof(
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map((s) => Buffer.from(s, 'utf8')),
      fc.string({ unit: 'binary', maxLength: 40 }).map((s) => Buffer.from(s, 'utf8')),
      fc
        .tuple(
          fc.string({ maxLength: 20 }),
          fc.constantFrom('\u0000', '\u0001', '\n', '\t', '\u001b', '\u007f', '\u0085', '\u009f'),
          fc.string({ maxLength: 20 }),
        )
        .map(([a, c, b]) => Buffer.from(a + c + b, 'utf8')),
      fc.uint8Array({ maxLength: 60 }).map((b) => Buffer.from(b)),
      fc.constantFrom(
        Buffer.from([0xc0, 0x80]), // overlong NUL
        Buffer.from([0xed, 0xa0, 0x80]), // encoded surrogate
        Buffer.from([0xef, 0xbb, 0xbf, 0x61]), // BOM
        Buffer.from([0xf4, 0x90, 0x80, 0x80]), // past U+10FFFF
        Buffer.alloc(0),
      ),
    )
    .map((b) => b.subarray(0, maxLength));

interface SignedRequest {
  packet: Buffer;
  userName: Buffer | undefined;
  password: Buffer | undefined;
  nasIdentifier: Buffer | undefined;
  callingStationId: Buffer | undefined;
}

/** An Access-Request a NAS could have sent, signed with SECRET (Message-Authenticator included). */
export const signedRequest: fc.Arbitrary<SignedRequest> = fc
  .record({
    identifier: fc.integer({ min: 0, max: 255 }),
    authenticator: fc.uint8Array({ minLength: 16, maxLength: 16 }),
    userName: fc.option(textOctets(253), { nil: undefined }),
    password: fc.option(
      fc.oneof(
        textOctets(128),
        fc.string({ minLength: 1, maxLength: 40 }).map((s) => Buffer.from(`${s}123456`).subarray(0, 128)),
      ),
      { nil: undefined },
    ),
    nasIdentifier: fc.option(textOctets(253), { nil: undefined }),
    callingStationId: fc.option(textOctets(253), { nil: undefined }),
    proxyStates: fc.array(fc.uint8Array({ minLength: 1, maxLength: 30 }), { maxLength: 3 }),
  })
  .map((r) => {
    const authenticator = Buffer.from(r.authenticator);
    const attributes: Array<[string, unknown]> = [];
    if (r.userName) attributes.push(['User-Name', r.userName]);
    if (r.password) attributes.push(['User-Password', encodeUserPassword(r.password, secret, authenticator)]);
    if (r.nasIdentifier) attributes.push(['NAS-Identifier', r.nasIdentifier]);
    if (r.callingStationId) attributes.push(['Calling-Station-Id', r.callingStationId]);
    for (const p of r.proxyStates) attributes.push(['Proxy-State', Buffer.from(p)]);
    const packet = radius.encode({
      code: 'Access-Request',
      secret: SECRET,
      identifier: r.identifier,
      authenticator,
      attributes,
      add_message_authenticator: true,
    });
    return { packet, userName: r.userName, password: r.password, nasIdentifier: r.nasIdentifier, callingStationId: r.callingStationId };
  });

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; count: number }
  | { kind: 'append'; bytes: Uint8Array }
  | { kind: 'length'; value: number }
  | { kind: 'fixLength' };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 20 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 20 }) }),
  fc.record({ kind: fc.constant('length' as const), value: fc.integer({ min: 0, max: 0xffff }) }),
  fc.constant({ kind: 'fixLength' as const }),
);

/** Applies mutations in order; `fixLength` makes the Length field match, so structure checks pass. */
export function mutate(original: Buffer, mutations: readonly Mutation[]): Buffer {
  let p = Buffer.from(original);
  for (const m of mutations) {
    const at = (n: number) => (p.length === 0 ? 0 : n % p.length);
    switch (m.kind) {
      case 'flip':
        if (p.length > 0) p[at(m.at)]! ^= 1 << m.bit;
        break;
      case 'set':
        if (p.length > 0) p[at(m.at)] = m.value;
        break;
      case 'truncate':
        p = p.subarray(0, at(m.at));
        break;
      case 'insert':
        p = Buffer.concat([p.subarray(0, at(m.at)), m.bytes, p.subarray(at(m.at))]);
        break;
      case 'delete':
        p = Buffer.concat([p.subarray(0, at(m.at)), p.subarray(at(m.at) + m.count)]);
        break;
      case 'append':
        p = Buffer.concat([p, m.bytes]);
        break;
      case 'length':
        if (p.length >= 4) p.writeUInt16BE(m.value, 2);
        break;
      case 'fixLength':
        if (p.length >= 4) p.writeUInt16BE(Math.min(p.length, 0xffff), 2);
        break;
    }
  }
  return p;
}

/** A packet with structure enough to pass parsing: a header and well-formed random attributes. */
const structuredPacket: fc.Arbitrary<Buffer> = fc
  .record({
    code: fc.oneof(fc.constantFrom(Code.AccessRequest, Code.StatusServer), fc.integer({ min: 0, max: 255 })),
    identifier: fc.integer({ min: 0, max: 255 }),
    authenticator: fc.uint8Array({ minLength: 16, maxLength: 16 }),
    attributes: fc.array(
      fc.record({
        type: fc.oneof(fc.constantFrom(1, 2, 3, 31, 32, 33, 79, 80), fc.integer({ min: 0, max: 255 })),
        value: fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ minLength: 16, maxLength: 16 })),
      }),
      { maxLength: 12 },
    ),
  })
  .map((r) => {
    const body = r.attributes.map((a) => Buffer.concat([Buffer.from([a.type, a.value.length + 2]), a.value]));
    const packet = Buffer.concat([Buffer.from([r.code, r.identifier, 0, 0]), r.authenticator, ...body]);
    packet.writeUInt16BE(packet.length, 2);
    return packet;
  });

// ---- properties ---------------------------------------------------------------------------

/** Independent oracle: valid UTF-8 round-trips through Node's lossy decoder unchanged. */
const isUtf8 = (b: Buffer): boolean => Buffer.from(b.toString('utf8'), 'utf8').equals(b);
// biome-ignore lint/suspicious/noControlCharactersInRegex: the oracle for the decoder's control-character check
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const validText = (b: Buffer): boolean => b.length > 0 && isUtf8(b) && !CONTROL.test(b.toString('utf8'));

/**
 * The decoder's properties, for `decoder` (the real one unless a test checks that a broken
 * decoder would be caught).
 */
export function decoderProperties(decoder: Decoder = decodeDatagram) {
  return {
    /** Random octets and random well-formed packets: never a throw, never authenticated. */
    randomDatagrams: fc.property(
      fc.oneof(
        fc.uint8Array({ maxLength: 4200 }).map((b) => Buffer.from(b)),
        structuredPacket,
      ),
      (datagram) => {
        const strict = decodeWith(decoder, datagram, true);
        check(strict.outcome !== 'ok', `a random datagram decoded as authenticated: ${datagram.toString('hex')}`);
        const legacy = decodeWith(decoder, datagram, false);
        check(
          legacy.outcome !== 'ok' || !carriesMessageAuthenticator(datagram),
          `a random Message-Authenticator verified: ${datagram.toString('hex')}`,
        );
      },
    ),

    /** A signed packet with any mutation in what its Message-Authenticator covers is never authenticated. */
    mutatedSignedPackets: fc.property(signedRequest, fc.array(mutation, { minLength: 1, maxLength: 4 }), ({ packet }, mutations) => {
      check(decodeWith(decoder, packet, true).outcome === 'ok', 'the unmutated packet decodes');
      const mutated = mutate(packet, mutations);
      const unchanged = covered(mutated).equals(packet);
      for (const require of [true, false]) {
        const result = decodeWith(decoder, mutated, require);
        if (unchanged) continue;
        if (require)
          check(
            result.outcome !== 'ok',
            `a mutated packet decoded as authenticated: ${mutated.toString('hex')} from ${packet.toString('hex')}`,
          );
        else
          check(
            result.outcome !== 'ok' || !carriesMessageAuthenticator(mutated),
            `a mutated packet's Message-Authenticator verified: ${mutated.toString('hex')}`,
          );
      }
    }),

    /** A packet signed with another secret is never authenticated. */
    otherSecret: fc.property(signedRequest, fc.string({ minLength: 1, maxLength: 40 }), ({ packet }, other) => {
      fc.pre(other !== SECRET);
      check(
        decodeWith(decoder, packet, true, Buffer.from(other)).outcome === 'bad_message_authenticator',
        `decoded with the secret ${JSON.stringify(other)}`,
      );
    }),

    /** Text attributes of a signed packet are decoded faithfully, or the request is marked invalid; never garbled. */
    textAttributes: fc.property(signedRequest, (r) => {
      const result = decodeWith(decoder, r.packet, true);
      check(result.outcome === 'ok', `a signed packet was refused: ${result.outcome}`);
      if (result.outcome !== 'ok') return;
      const request = result.request;
      const fields: Array<[Buffer | undefined, string | undefined]> = [
        [r.userName, request.userName],
        [r.nasIdentifier, request.nasIdentifier],
        [r.callingStationId, request.callingStationId],
      ];
      const allValid = fields.every(([sent]) => sent === undefined || validText(sent));
      const password = r.password === undefined ? undefined : trimNuls(r.password);
      const passwordValid = password === undefined || (password.length > 0 && isUtf8(password) && !password.includes(0));
      check(
        (request.invalid === undefined) === (allValid && passwordValid),
        `invalid is ${JSON.stringify(request.invalid)}, expected ${allValid && passwordValid ? 'none' : 'one'}`,
      );
      if (request.invalid) {
        for (const [, decoded] of fields)
          check(decoded === undefined || !CONTROL.test(decoded), 'a refused request still carries a control character');
        return;
      }
      for (const [sent, decoded] of fields) {
        check(
          sent === undefined ? decoded === undefined : decoded !== undefined && Buffer.from(decoded, 'utf8').equals(sent),
          'a text attribute was not decoded faithfully',
        );
      }
      if (password !== undefined)
        check(
          request.password !== undefined && Buffer.from(request.password, 'utf8').equals(password),
          'the password was not decoded faithfully',
        );
      if (request.userName !== undefined && request.password !== undefined) {
        // What the edge lets through, the bus contract accepts: the two rules agree.
        const payload = DecideRequest.safeParse({
          requestId: 'r1',
          username: request.userName,
          password: request.password,
          client: { id: 'c1', name: 'vpn', address: '192.0.2.1' },
          ...(request.nasIdentifier !== undefined ? { nasIdentifier: request.nasIdentifier } : {}),
          ...(request.callingStationId !== undefined ? { callingStationId: request.callingStationId } : {}),
        });
        check(
          payload.success,
          `the contract refused what the edge accepted: ${payload.error?.issues.map((i) => i.path.join('.')).join(', ')}`,
        );
      }
    }),
  };
}

/** The password as revealed: the NAS's padding (trailing NULs) is not part of it. */
function trimNuls(b: Buffer): Buffer {
  let end = b.length;
  while (end > 0 && b[end - 1] === 0) end--;
  return b.subarray(0, end);
}

/**
 * Through the whole packet handler, with a decider that accepts everything: a mutated packet
 * never reaches the decider and never gets an Access-Accept.
 */
export const handlerNeverAcceptsMutations = fc.asyncProperty(
  signedRequest,
  fc.array(mutation, { minLength: 1, maxLength: 4 }),
  async ({ packet }, mutations) => {
    const mutated = mutate(packet, mutations);
    fc.pre(!covered(mutated).equals(packet));
    let asked = 0;
    const handler = new PacketHandler({
      clients: new ClientTable([{ id: 'c1', name: 'vpn', address: '192.0.2.0/24', secret, requireMessageAuthenticator: true }]),
      cache: new RetransmitCache(new MemoryStateStore(), { windowMs: 30_000, pendingTtlMs: 5_000 }),
      decide: async () => {
        asked++;
        return { decision: 'accept', reason: 'ok' };
      },
      metrics: registerGatewayMetrics(new Registry()),
      logger: createLogger('radius-gateway', { level: 'silent' }),
      decisionTimeoutMs: 1000,
    });
    let response: Buffer | null;
    try {
      response = await handler.handle(mutated, { address: '192.0.2.10', port: 1812 });
    } catch (error) {
      throw new PropertyViolation(`the handler threw ${(error as Error)?.name}`);
    }
    check(asked === 0, `a mutated packet was sent for a decision: ${mutated.toString('hex')}`);
    check(response === null || response[0] !== Code.AccessAccept, `a mutated packet was accepted: ${mutated.toString('hex')}`);
  },
);
