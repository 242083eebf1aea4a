import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstRdnValue, groupNames } from './group-names.js';

test('firstRdnValue takes the first RDN value and undoes RFC 4514 escapes', () => {
  const cases: [string, string | undefined][] = [
    ['CN=VPN Users,OU=Groups,DC=corp,DC=example', 'VPN Users'],
    ['cn=vpn-admins,ou=groups,dc=corp', 'vpn-admins'],
    ['CN=Smith\\, John,OU=People', 'Smith, John'],
    ['CN=Caf\\C3\\A9,DC=x', 'Café'],
    ['CN=a\\+b+uid=c,DC=x', 'a+b'],
    ['CN=  padded ,DC=x', 'padded'],
    ['', undefined],
    ['no equals sign', undefined],
    ['CN=,DC=x', undefined],
  ];
  for (const [dn, expected] of cases) assert.equal(firstRdnValue(dn), expected, dn);
});

test('groupNames keeps each name once', () => {
  assert.deepEqual(groupNames(['cn=a,dc=x', 'CN=b,DC=x', 'cn=a,ou=other,dc=x', 'bad']), ['a', 'b']);
});
