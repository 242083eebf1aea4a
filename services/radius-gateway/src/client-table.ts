import type { OtpMode, PasswordSource } from '@tollgate/contracts';
import { cidrContains, parseCidr, parseIp, type Cidr, type IpAddress } from './ip-address.js';

/**
 * The configured RADIUS clients, indexed for the hot path: exact addresses in a map, networks
 * scanned most specific prefix first, so `10.1.2.3` beats `10.1.0.0/16` beats `10.0.0.0/8`.
 */
export interface RadiusClient {
  id: string;
  name: string;
  /** As configured: an IP address or a CIDR. */
  address: string;
  /** The opened shared secret. */
  secret: Buffer;
  requireMessageAuthenticator: boolean;
  /** How the client's users enter their code; absent is `append`. */
  otpMode?: OtpMode;
  /** The directories that check its users' passwords, in order; absent is `['entra']`. */
  passwordSources?: readonly PasswordSource[];
  /** Users may ask for a one-time code by email or SMS in the challenge dialogue. */
  fallbackCodes?: boolean;
}

const BITS = { 4: 32, 6: 128 } as const;
const exactKey = (family: 4 | 6, value: bigint): string => `${family}/${value.toString(16)}`;

export class ClientTable {
  readonly #exact = new Map<string, RadiusClient>();
  readonly #networks: Array<{ cidr: Cidr; client: RadiusClient }> = [];
  /** Clients whose address did not parse; they never match. */
  readonly invalid: RadiusClient[] = [];

  constructor(clients: readonly RadiusClient[]) {
    for (const client of clients) {
      const cidr = parseCidr(client.address);
      if (!cidr) {
        this.invalid.push(client);
        continue;
      }
      if (cidr.prefix === BITS[cidr.family]) {
        const key = exactKey(cidr.family, cidr.network);
        if (!this.#exact.has(key)) this.#exact.set(key, client);
      } else {
        this.#networks.push({ cidr, client });
      }
    }
    // Stable sort: among equal prefixes the earlier client (the store lists by name) wins.
    this.#networks.sort((a, b) => b.cidr.prefix - a.cidr.prefix);
  }

  /** The client for a datagram's source address, or undefined for an unknown sender. */
  match(source: string | IpAddress): RadiusClient | undefined {
    const address = typeof source === 'string' ? parseIp(source) : source;
    if (!address) return undefined;
    const exact = this.#exact.get(exactKey(address.family, address.value));
    if (exact) return exact;
    for (const { cidr, client } of this.#networks) if (cidrContains(cidr, address)) return client;
    return undefined;
  }

  get size(): number {
    return this.#exact.size + this.#networks.length;
  }
}
