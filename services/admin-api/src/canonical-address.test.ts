/** Table tests for RADIUS client address canonicalisation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalAddress } from './canonical-address.js';

test('canonicalises addresses and networks', () => {
  const cases: Array<[string, string]> = [
    ['192.0.2.10', '192.0.2.10'],
    [' 192.0.2.10 ', '192.0.2.10'],
    ['192.0.2.10/32', '192.0.2.10'],
    ['192.0.2.0/24', '192.0.2.0/24'],
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['2001:DB8::0:1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001/128', '2001:db8::1'],
    ['2001:db8::/32', '2001:db8::/32'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // first of two equal runs
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // a single zero group is not compressed
    ['::', '::'],
    ['::/0', '::/0'],
    ['::1', '::1'],
    ['fe80::/10', 'fe80::/10'],
    ['::ffff:192.0.2.10', '192.0.2.10'],
    ['::ffff:c000:20a', '192.0.2.10'],
    ['::ffff:192.0.2.0/120', '192.0.2.0/24'],
    ['64:ff9b::192.0.2.10', '64:ff9b::c000:20a'],
  ];
  for (const [input, expected] of cases) {
    assert.deepEqual(canonicalAddress(input), { ok: true, address: expected }, input);
  }
});

test('refuses what is not an address or network', () => {
  const cases: Array<[string, RegExp]> = [
    ['', /must be an IPv4 or IPv6/],
    ['radius.example.com', /must be an IPv4 or IPv6/],
    ['192.0.2.256', /must be an IPv4 or IPv6/],
    ['192.0.2', /must be an IPv4 or IPv6/],
    ['fe80::1%eth0', /must be an IPv4 or IPv6/],
    ['192.0.2.0/33', /prefix length from 0 to 32/],
    ['192.0.2.0/', /prefix length/],
    ['192.0.2.0/-1', /prefix length/],
    ['2001:db8::/129', /prefix length from 0 to 128/],
    ['192.0.2.10/24', /host bits zero \(did you mean 192\.0\.2\.0\/24\?\)/],
    ['2001:db8::1/64', /host bits zero \(did you mean 2001:db8::\/64\?\)/],
    ['10.1.2.3/12', /did you mean 10\.0\.0\.0\/12/],
  ];
  for (const [input, problem] of cases) {
    const result = canonicalAddress(input);
    assert.equal(result.ok, false, input);
    if (!result.ok) assert.match(result.problem, problem, input);
  }
});
