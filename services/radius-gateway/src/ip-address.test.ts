/** IP and CIDR parsing and matching, including IPv4-mapped IPv6. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cidrContains, formatIp, parseCidr, parseIp } from './ip-address.js';

const ips: Array<[string, string | null]> = [
  ['192.0.2.1', '192.0.2.1'],
  ['0.0.0.0', '0.0.0.0'],
  ['255.255.255.255', '255.255.255.255'],
  ['::ffff:192.0.2.1', '192.0.2.1'], // what a dual-stack socket reports for an IPv4 sender
  ['::FFFF:c000:0201', '192.0.2.1'],
  ['2001:db8::1', '2001:db8:0:0:0:0:0:1'],
  ['::1', '0:0:0:0:0:0:0:1'],
  ['::', '0:0:0:0:0:0:0:0'],
  ['fe80::1%eth0', 'fe80:0:0:0:0:0:0:1'],
  ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2:3:4:5:6'],
  ['64:ff9b::192.0.2.33', '64:ff9b:0:0:0:0:c000:221'],
  ['::192.0.2.1', '0:0:0:0:0:0:c000:201'], // IPv4-compatible (deprecated) is not mapped
  ['192.0.2', null],
  ['192.0.2.256', null],
  ['nas.example.com', null],
  ['2001:db8::1::2', null],
  ['', null],
];
for (const [text, expected] of ips) {
  test(`parseIp(${JSON.stringify(text)}) -> ${expected}`, () => {
    const parsed = parseIp(text);
    assert.equal(parsed ? formatIp(parsed) : null, expected);
  });
}

const cidrs: Array<[string, { family: number; network: string; prefix: number } | null]> = [
  ['10.0.0.0/8', { family: 4, network: '10.0.0.0', prefix: 8 }],
  ['10.1.2.3/8', { family: 4, network: '10.0.0.0', prefix: 8 }], // host bits cleared
  ['192.0.2.7', { family: 4, network: '192.0.2.7', prefix: 32 }],
  ['0.0.0.0/0', { family: 4, network: '0.0.0.0', prefix: 0 }],
  ['2001:db8::/32', { family: 6, network: '2001:db8:0:0:0:0:0:0', prefix: 32 }],
  ['2001:db8::5', { family: 6, network: '2001:db8:0:0:0:0:0:5', prefix: 128 }],
  ['::ffff:10.0.0.0/104', { family: 4, network: '10.0.0.0', prefix: 8 }],
  ['::ffff:192.0.2.1', { family: 4, network: '192.0.2.1', prefix: 32 }],
  ['10.0.0.0/33', null],
  ['2001:db8::/129', null],
  ['10.0.0.0/-1', null],
  ['10.0.0.0/8/8', null],
  ['10.0.0.0/', null],
  ['example/24', null],
];
for (const [text, expected] of cidrs) {
  test(`parseCidr(${JSON.stringify(text)})`, () => {
    const parsed = parseCidr(text);
    assert.deepEqual(
      parsed ? { family: parsed.family, network: formatIp({ family: parsed.family, value: parsed.network }), prefix: parsed.prefix } : null,
      expected,
    );
  });
}

const contains: Array<[string, string, boolean]> = [
  ['10.0.0.0/8', '10.255.1.2', true],
  ['10.0.0.0/8', '11.0.0.1', false],
  ['10.0.0.0/8', '::ffff:10.9.9.9', true],
  ['192.0.2.0/25', '192.0.2.127', true],
  ['192.0.2.0/25', '192.0.2.128', false],
  ['0.0.0.0/0', '203.0.113.9', true],
  ['0.0.0.0/0', '2001:db8::1', false], // families never mix
  ['::/0', '192.0.2.1', false],
  ['2001:db8::/32', '2001:db8:ffff::1', true],
  ['2001:db8::/32', '2001:db9::1', false],
  ['2001:db8::1', '2001:db8::1', true],
  ['2001:db8::1', '2001:db8::2', false],
];
for (const [cidr, ip, expected] of contains) {
  test(`${cidr} ${expected ? 'contains' : 'does not contain'} ${ip}`, () => {
    assert.equal(cidrContains(parseCidr(cidr)!, parseIp(ip)!), expected);
  });
}
