/** validateReplyAttribute against the shipped dictionary: typed values, octets, and every problem. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDictionaries } from './load-dictionaries.js';
import { type ReplyAttributeProblem, validateReplyAttribute } from './validate-reply-attribute.js';

const dictionary = loadDictionaries();

const valid: Array<{ name: string; value: string | number; typed: string | number; hex: string }> = [
  { name: 'Filter-Id', value: 'vpn-admins', typed: 'vpn-admins', hex: Buffer.from('vpn-admins').toString('hex') },
  { name: 'filter-id', value: 'é', typed: 'é', hex: 'c3a9' },
  { name: 'Class', value: '0x0102FF', typed: '0x0102ff', hex: '0102ff' },
  { name: 'Session-Timeout', value: 3600, typed: 3600, hex: '00000e10' },
  { name: 'Session-Timeout', value: '4294967295', typed: 4294967295, hex: 'ffffffff' },
  { name: 'Idle-Timeout', value: 0, typed: 0, hex: '00000000' },
  { name: 'Service-Type', value: 'Framed-User', typed: 2, hex: '00000002' },
  { name: 'Service-Type', value: 'administrative-user', typed: 6, hex: '00000006' },
  { name: 'Framed-IP-Address', value: '10.1.2.3', typed: '10.1.2.3', hex: '0a010203' },
  { name: 'Framed-IP-Netmask', value: '255.255.255.0', typed: '255.255.255.0', hex: 'ffffff00' },
  { name: 'Framed-Pool', value: 'pool-a', typed: 'pool-a', hex: Buffer.from('pool-a').toString('hex') },
  { name: 'Reply-Message', value: 'Welcome', typed: 'Welcome', hex: Buffer.from('Welcome').toString('hex') },
  { name: 'Fortinet-Group-Name', value: 'admins', typed: 'admins', hex: Buffer.from('admins').toString('hex') },
  { name: 'Cisco-AVPair', value: 'shell:priv-lvl=15', typed: 'shell:priv-lvl=15', hex: Buffer.from('shell:priv-lvl=15').toString('hex') },
  { name: 'MS-Primary-DNS-Server', value: '192.0.2.53', typed: '192.0.2.53', hex: 'c0000235' },
  { name: 'MS-User-IPv6-Address', value: '2001:db8::1', typed: '2001:db8::1', hex: '20010db8000000000000000000000001' },
  { name: 'MS-User-IPv6-Address', value: '::ffff:192.0.2.1', typed: '::ffff:192.0.2.1', hex: '00000000000000000000ffffc0000201' },
  { name: 'Event-Timestamp', value: '2026-01-01T00:00:00Z', typed: 1767225600, hex: '6955b900' },
  { name: 'Fortinet-Group-Name', value: 'x'.repeat(247), typed: 'x'.repeat(247), hex: '78'.repeat(247) },
  { name: 'Filter-Id', value: 'x'.repeat(253), typed: 'x'.repeat(253), hex: '78'.repeat(253) },
];

for (const c of valid) {
  test(`valid: ${c.name} = ${String(c.value).slice(0, 30)}`, () => {
    const result = validateReplyAttribute(dictionary, { name: c.name, value: c.value });
    assert.ok(result.ok, result.ok ? '' : result.message);
    assert.equal(result.value, c.typed);
    assert.equal(result.octets.toString('hex'), c.hex);
  });
}

const invalid: Array<{ name: string; value: string | number; problem: ReplyAttributeProblem; message: RegExp }> = [
  { name: 'Fortinet-Group', value: 'x', problem: 'unknown_attribute', message: /Fortinet-Group is not in the RADIUS dictionary/ },
  { name: 'Session-Timeout', value: -1, problem: 'out_of_range', message: /between 0 and 4294967295/ },
  { name: 'Session-Timeout', value: 4294967296, problem: 'out_of_range', message: /between 0/ },
  { name: 'Session-Timeout', value: 1.5, problem: 'wrong_type', message: /whole number/ },
  { name: 'Session-Timeout', value: 'an hour', problem: 'wrong_type', message: /whole number/ },
  {
    name: 'Service-Type',
    value: 'Superuser',
    problem: 'unknown_value',
    message: /no value named Superuser \(known: Login-User, Framed-User/,
  },
  { name: 'Framed-IP-Address', value: '10.1.2', problem: 'wrong_type', message: /IPv4 address/ },
  { name: 'Framed-IP-Address', value: '10.1.2.256', problem: 'wrong_type', message: /IPv4 address/ },
  { name: 'Framed-IP-Address', value: 167837953, problem: 'wrong_type', message: /IPv4 address/ },
  { name: 'MS-User-IPv6-Address', value: '10.0.0.1', problem: 'wrong_type', message: /IPv6 address/ },
  { name: 'Filter-Id', value: 42, problem: 'wrong_type', message: /takes a string/ },
  { name: 'Filter-Id', value: '', problem: 'empty', message: /must not be empty/ },
  { name: 'Filter-Id', value: 'x'.repeat(254), problem: 'too_long', message: /254 octets; at most 253/ },
  { name: 'Filter-Id', value: 'é'.repeat(127), problem: 'too_long', message: /254 octets/ },
  { name: 'Fortinet-Group-Name', value: 'x'.repeat(248), problem: 'too_long', message: /248 octets; at most 247 fit in a vendor-specific/ },
  { name: 'Class', value: 'plain', problem: 'wrong_type', message: /0x and hex digits/ },
  { name: 'Class', value: '0x123', problem: 'wrong_type', message: /0x and hex digits/ },
  { name: 'Class', value: '0x', problem: 'empty', message: /must not be empty/ },
  { name: 'Event-Timestamp', value: '2026-13-45T00:00:00Z', problem: 'wrong_type', message: /ISO 8601/ },
  { name: 'User-Password', value: 'x', problem: 'unsupported', message: /encrypt=1/ },
  { name: 'Aruba-MPSK-Passphrase', value: '0x00', problem: 'unsupported', message: /encrypt=2/ },
  { name: 'Fortinet-WirelessController-Device-MAC', value: 'x', problem: 'unsupported', message: /type ether is not supported/ },
  { name: 'Message-Authenticator', value: '0x00', problem: 'not_allowed', message: /set by the gateway itself/ },
  { name: 'EAP-Message', value: '0x00', problem: 'unsupported', message: /concat/ },
  { name: 'Proxy-State', value: '0x00', problem: 'not_allowed', message: /set by the gateway/ },
  { name: 'State', value: '0x00', problem: 'not_allowed', message: /set by the gateway/ },
  { name: 'CHAP-Password', value: '0x00', problem: 'not_allowed', message: /set by the gateway/ },
  { name: 'ARAP-Password', value: '0x0011', problem: 'wrong_type', message: /exactly 16 octets/ },
];

for (const c of invalid) {
  test(`invalid: ${c.name} = ${String(c.value).slice(0, 30)} is ${c.problem}`, () => {
    const result = validateReplyAttribute(dictionary, { name: c.name, value: c.value });
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.equal(result.problem, c.problem);
    assert.match(result.message, c.message);
  });
}
