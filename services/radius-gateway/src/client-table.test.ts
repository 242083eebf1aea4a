/** Client lookup by source address: exact beats CIDR, longest prefix wins, IPv4-mapped sources match IPv4 clients. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientTable, type RadiusClient } from './client-table.js';

const client = (name: string, address: string): RadiusClient => ({
  id: `id-${name}`,
  name,
  address,
  secret: Buffer.from(`secret-${name}`),
  requireMessageAuthenticator: true,
});

const table = new ClientTable([
  client('everything-v4', '0.0.0.0/0'),
  client('corp', '10.0.0.0/8'),
  client('site', '10.1.0.0/16'),
  client('vpn1', '10.1.2.3'),
  client('v6-net', '2001:db8::/32'),
  client('v6-host', '2001:db8::7'),
  client('mapped-net', '::ffff:172.16.0.0/108'),
  client('broken', 'not-an-address'),
]);

const cases: Array<[string, string | undefined]> = [
  ['10.1.2.3', 'vpn1'], // exact beats every network
  ['::ffff:10.1.2.3', 'vpn1'], // IPv4-mapped source matches the IPv4 client
  ['10.1.9.9', 'site'], // /16 beats /8
  ['10.200.0.1', 'corp'],
  ['192.0.2.1', 'everything-v4'],
  ['172.16.5.5', 'mapped-net'], // a mapped CIDR is an IPv4 network
  ['2001:db8::7', 'v6-host'],
  ['2001:db8::8', 'v6-net'],
  ['2001:db9::1', undefined], // 0.0.0.0/0 never matches IPv6
  ['garbage', undefined],
];
for (const [source, expected] of cases) {
  test(`client table: ${source} -> ${expected ?? 'unknown'}`, () => {
    assert.equal(table.match(source)?.name, expected);
  });
}

test('client table: unparsable addresses are reported and never match', () => {
  assert.deepEqual(
    table.invalid.map((c) => c.name),
    ['broken'],
  );
  assert.equal(table.size, 7);
});

test('client table: without a catch-all, unknown IPv4 sources do not match', () => {
  const small = new ClientTable([client('only', '192.0.2.10')]);
  assert.equal(small.match('192.0.2.10')?.name, 'only');
  assert.equal(small.match('192.0.2.11'), undefined);
  assert.equal(small.match('::1'), undefined);
});

test('client table: equal prefixes keep the first client (the store lists by name)', () => {
  const tie = new ClientTable([client('a', '10.0.0.0/8'), client('b', '10.9.0.0/8')]);
  assert.equal(tie.match('10.9.1.1')?.name, 'a');
});
