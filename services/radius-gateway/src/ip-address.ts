import { isIPv4, isIPv6 } from 'node:net';

/**
 * IP addresses and CIDR networks as integers, for matching a datagram's source to a RADIUS
 * client. IPv4-mapped IPv6 (`::ffff:192.0.2.1`, what a dual-stack socket reports for an IPv4
 * sender) is folded into IPv4 so one configured IPv4 client matches on either socket.
 */
export interface IpAddress {
  family: 4 | 6;
  value: bigint;
}

export interface Cidr {
  family: 4 | 6;
  /** Network address, host bits cleared. */
  network: bigint;
  prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;

function parseV4(text: string): bigint {
  return text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function parseV6(text: string): bigint {
  let head = text;
  let tailV4: bigint | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    tailV4 = parseV4(text.slice(lastColon + 1));
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [left, right] = head.includes('::') ? head.split('::') : [head, undefined];
  const leftGroups = left ? left.split(':') : [];
  const rightGroups = right ? right.split(':') : [];
  const missing = 8 - leftGroups.length - rightGroups.length;
  const groups = [...leftGroups, ...Array<string>(right === undefined ? 0 : missing).fill('0'), ...rightGroups];
  let value = groups.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
  if (tailV4 !== undefined) value = (value & ~0xffffffffn) | tailV4;
  return value;
}

/** Parses an IPv4 or IPv6 literal (zone ids dropped); null when it is not one. */
export function parseIp(text: string): IpAddress | null {
  const address = text.trim().replace(/%.*$/, '');
  if (isIPv4(address)) return { family: 4, value: parseV4(address) };
  if (!isIPv6(address)) return null;
  const value = parseV6(address);
  if (value >> 32n === 0xffffn) return { family: 4, value: value & 0xffffffffn };
  return { family: 6, value };
}

function mask(family: 4 | 6, prefix: number): bigint {
  const bits = BigInt(BITS[family]);
  return ((1n << bits) - 1n) ^ ((1n << (bits - BigInt(prefix))) - 1n);
}

/** Parses `address` or `address/prefix`; host bits are cleared. Null when invalid. */
export function parseCidr(text: string): Cidr | null {
  const [addressPart, prefixPart, extra] = text.trim().split('/');
  if (addressPart === undefined || extra !== undefined) return null;
  const address = addressPart.replace(/%.*$/, '');
  let family: 4 | 6;
  let value: bigint;
  if (isIPv4(address)) {
    family = 4;
    value = parseV4(address);
  } else if (isIPv6(address)) {
    family = 6;
    value = parseV6(address);
  } else return null;
  let prefix: number = BITS[family];
  if (prefixPart !== undefined) {
    if (!/^\d{1,3}$/.test(prefixPart)) return null;
    prefix = Number(prefixPart);
    if (prefix > BITS[family]) return null;
  }
  if (family === 6 && prefix >= 96 && value >> 32n === 0xffffn) {
    // An IPv4-mapped network is an IPv4 network.
    return { family: 4, network: value & 0xffffffffn & mask(4, prefix - 96), prefix: prefix - 96 };
  }
  return { family, network: value & mask(family, prefix), prefix };
}

export function cidrContains(cidr: Cidr, address: IpAddress): boolean {
  return cidr.family === address.family && (address.value & mask(cidr.family, cidr.prefix)) === cidr.network;
}

/** A stable text form of an address (IPv4 dotted, IPv6 in full hex groups), for keys and logs. */
export function formatIp(address: IpAddress): string {
  if (address.family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((address.value >> shift) & 0xffn)).join('.');
  }
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(((address.value >> shift) & 0xffffn).toString(16));
  return groups.join(':');
}
