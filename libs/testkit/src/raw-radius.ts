import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import radiusUntyped from 'radius';
import type { RadiusPackage } from './radius-package-types.js';

const radius = radiusUntyped as RadiusPackage;

/**
 * The `radius` npm package, re-exported for tests that need an independent RADIUS codec
 * (to build packets by hand, or to check Tollgate's answers with another implementation).
 */
export const radiusPackage: RadiusPackage = radius;
export type { RadiusPackage, DecodedRadiusPacket, RadiusAttributeList } from './radius-package-types.js';

/**
 * Hides a User-Password the way a NAS does (RFC 2865 sec. 5.2), for packets whose password
 * octets a test chooses (the `radius` package only takes strings). RangeError past 128 octets.
 */
export function encodeUserPassword(password: Buffer, secret: Buffer, requestAuthenticator: Buffer): Buffer {
  if (password.length > 128) throw new RangeError('password longer than 128 octets');
  const padded = Buffer.alloc(Math.max(16, Math.ceil(password.length / 16) * 16));
  password.copy(padded);
  const hidden = Buffer.alloc(padded.length);
  let previous = requestAuthenticator;
  for (let offset = 0; offset < padded.length; offset += 16) {
    const key = createHash('md5').update(secret).update(previous).digest();
    for (let i = 0; i < 16; i++) hidden[offset + i] = padded[offset + i]! ^ key[i]!;
    previous = hidden.subarray(offset, offset + 16);
  }
  return hidden;
}

/** Builds a PAP Access-Request with Message-Authenticator, as a NAS would send it. */
export function encodeAccessRequest(options: { secret: string; identifier: number; username: string; password: string }): Buffer {
  return radius.encode({
    code: 'Access-Request',
    secret: options.secret,
    identifier: options.identifier,
    attributes: [
      ['User-Name', options.username],
      ['User-Password', options.password],
      ['NAS-Identifier', 'tollgate-test'],
    ],
    add_message_authenticator: true,
  });
}

/**
 * Builds an Access-Request with Message-Authenticator padded with Proxy-State attributes to
 * exactly `length` octets (4096 by default, the most RFC 2865 allows), as a proxy chain might.
 */
export function encodeProxyStatePaddedRequest(options: {
  secret: string;
  identifier: number;
  attributes: Array<[string, unknown]>;
  length?: number;
}): { packet: Buffer; proxyStates: Buffer[] } {
  const target = options.length ?? 4096;
  const encode = (proxyStates: Buffer[]) =>
    radius.encode({
      code: 'Access-Request',
      secret: options.secret,
      identifier: options.identifier,
      attributes: [...options.attributes, ...proxyStates.map((p): [string, unknown] => ['Proxy-State', p])],
      add_message_authenticator: true,
    });
  const proxyStates: Buffer[] = [];
  let room = target - encode([]).length;
  // Each Proxy-State costs its value plus two octets; the last one takes whatever is left (room
  // of 1 or 2 cannot hold an attribute, so the one before it is shortened to leave 3).
  while (room > 0) {
    const left = room - 255;
    const value = left > 0 && left < 3 ? 250 : Math.min(253, room - 2);
    proxyStates.push(Buffer.alloc(value, proxyStates.length % 256));
    room -= value + 2;
  }
  const packet = encode(proxyStates);
  if (packet.length !== target) throw new Error(`padded request is ${packet.length} octets, not ${target}`);
  return { packet, proxyStates };
}

/**
 * Sends the exact bytes given from one socket (so a second call with the same socket is a true
 * retransmission: same source port, Identifier and Request Authenticator) and resolves with
 * the reply bytes, or null when none comes within `timeoutMs`.
 */
export class RawRadiusSocket {
  readonly #socket = dgram.createSocket('udp4');
  readonly #ready: Promise<void>;

  constructor() {
    this.#ready = new Promise((resolve) => this.#socket.bind(0, '127.0.0.1', () => resolve()));
  }

  async send(port: number, packet: Buffer, timeoutMs: number): Promise<Buffer | null> {
    await this.#ready;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#socket.off('message', onMessage);
        resolve(null);
      }, timeoutMs);
      const onMessage = (message: Buffer) => {
        if (message[1] !== packet[1]) return;
        clearTimeout(timer);
        this.#socket.off('message', onMessage);
        resolve(message);
      };
      this.#socket.on('message', onMessage);
      this.#socket.send(packet, port, '127.0.0.1');
    });
  }

  close(): void {
    this.#socket.close();
  }
}
