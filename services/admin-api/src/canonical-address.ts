/**
 * RADIUS client addresses: one IP or a CIDR network, IPv4 or IPv6, in one canonical text form so
 * that the database's uniqueness constraint means something (`10.0.0.1/32` and `10.0.0.1` are the
 * same client; `2001:DB8::0:1` is `2001:db8::1`). A network must have its host bits zero: an admin
 * who typed `10.0.0.5/24` almost certainly meant something else, so we say so instead of guessing.
 * IPv4-mapped IPv6 (`::ffff:10.0.0.1`) becomes plain IPv4, the form a dual-stack socket reports.
 */
import { isIPv4, isIPv6 } from 'node:net';

export type AddressCheck = { ok: true; address: string } | { ok: false; problem: string };

const MUST_BE = 'must be an IPv4 or IPv6 address or CIDR network (e.g. 192.0.2.10 or 192.0.2.0/24)';

export function canonicalAddress(text: string): AddressCheck {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const host = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const prefixText = slash < 0 ? undefined : trimmed.slice(slash + 1);
  let bytes = parseIp(host);
  if (!bytes) return { ok: false, problem: MUST_BE };
  let prefix = bytes.length * 8;
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bytes.length * 8) {
      return { ok: false, problem: `must have a prefix length from 0 to ${bytes.length * 8}` };
    }
    prefix = Number(prefixText);
  }
  if (bytes.length === 16 && isV4Mapped(bytes) && prefix >= 96) {
    bytes = bytes.subarray(12);
    prefix -= 96;
  }
  const network = maskBytes(bytes, prefix);
  if (!network.equals(bytes)) {
    return { ok: false, problem: `must have its host bits zero (did you mean ${formatIp(network)}/${prefix}?)` };
  }
  const formatted = formatIp(bytes);
  return { ok: true, address: prefix === bytes.length * 8 ? formatted : `${formatted}/${prefix}` };
}

/** 4 or 16 bytes, or null. Zone ids (`fe80::1%eth0`) are refused: they mean nothing off the host. */
export function parseIp(text: string): Buffer | null {
  if (isIPv4(text)) return Buffer.from(text.split('.').map(Number));
  if (!isIPv6(text) || text.includes('%')) return null;
  let hexText = text;
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    // Embedded IPv4 in the last 32 bits: rewrite it as two hex groups.
    const [a, b, c, d] = last.split('.').map(Number) as [number, number, number, number];
    hexText = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const groups = (part: string): number[] => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const gap = hexText.indexOf('::');
  const all =
    gap < 0
      ? groups(hexText)
      : (() => {
          const left = groups(hexText.slice(0, gap));
          const right = groups(hexText.slice(gap + 2));
          return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
        })();
  if (all.length !== 8) return null;
  const out = Buffer.alloc(16);
  for (const [i, g] of all.entries()) out.writeUInt16BE(g, i * 2);
  return out;
}

/** RFC 5952 text: lower case, no leading zeros, the longest run (>= 2) of zero groups as `::`. */
export function formatIp(bytes: Buffer): string {
  if (bytes.length === 4) return [...bytes].join('.');
  const groups = Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

function isV4Mapped(bytes: Buffer): boolean {
  return bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
}

function maskBytes(bytes: Buffer, prefix: number): Buffer {
  const out = Buffer.from(bytes);
  for (let i = 0; i < out.length; i++) {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    out[i] = out[i]! & ((0xff << (8 - keep)) & 0xff);
  }
  return out;
}
