import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NamedGroupPolicy } from '@tollgate/contracts';
import { NO_GROUP_POLICY, clientAllowed, combineGroupPolicies } from './group-policy.js';

const group = (name: string, policy: Partial<Omit<NamedGroupPolicy, 'name'>> = {}): NamedGroupPolicy => ({
  name,
  replyAttributes: [],
  mfaExempt: false,
  allowedClients: null,
  ...policy,
});
const filter = (value: string) => ({ name: 'Filter-Id', value });
const fortinet = (value: string) => ({ name: 'Fortinet-Group-Name', value });

const cases: Array<[string, NamedGroupPolicy[], ReturnType<typeof combineGroupPolicies>]> = [
  ['no group', [], NO_GROUP_POLICY],
  ['one group with nothing set', [group('staff')], NO_GROUP_POLICY],
  [
    'one group: its attributes in stored order',
    [group('staff', { replyAttributes: [fortinet('vpn'), filter('staff'), { name: 'Session-Timeout', value: 3600 }] })],
    {
      replyAttributes: [fortinet('vpn'), filter('staff'), { name: 'Session-Timeout', value: 3600 }],
      mfaExempt: false,
      allowedClients: null,
    },
  ],
  [
    'two groups: ordered by name whatever order they come in',
    [group('vpn', { replyAttributes: [filter('vpn')] }), group('admins', { replyAttributes: [filter('admins')] })],
    { replyAttributes: [filter('admins'), filter('vpn')], mfaExempt: false, allowedClients: null },
  ],
  [
    'code-point order: upper case before lower case, digits before letters',
    [
      group('b', { replyAttributes: [filter('b')] }),
      group('B', { replyAttributes: [filter('B')] }),
      group('1', { replyAttributes: [filter('1')] }),
    ],
    { replyAttributes: [filter('1'), filter('B'), filter('b')], mfaExempt: false, allowedClients: null },
  ],
  [
    'an identical pair is kept once, where it first comes',
    [
      group('a', { replyAttributes: [filter('x'), fortinet('g')] }),
      group('b', { replyAttributes: [fortinet('g'), filter('y'), filter('x')] }),
    ],
    { replyAttributes: [filter('x'), fortinet('g'), filter('y')], mfaExempt: false, allowedClients: null },
  ],
  [
    'the same name with other values: all kept (a NAS may take several)',
    [
      group('a', {
        replyAttributes: [
          { name: 'Cisco-AVPair', value: 'shell:priv-lvl=1' },
          { name: 'Cisco-AVPair', value: 'ip:inacl#1=x' },
        ],
      }),
    ],
    {
      replyAttributes: [
        { name: 'Cisco-AVPair', value: 'shell:priv-lvl=1' },
        { name: 'Cisco-AVPair', value: 'ip:inacl#1=x' },
      ],
      mfaExempt: false,
      allowedClients: null,
    },
  ],
  [
    'a number and the same digits as text are different values',
    [
      group('a', { replyAttributes: [{ name: 'Session-Timeout', value: 60 }] }),
      group('b', { replyAttributes: [{ name: 'Session-Timeout', value: '60' }] }),
    ],
    {
      replyAttributes: [
        { name: 'Session-Timeout', value: 60 },
        { name: 'Session-Timeout', value: '60' },
      ],
      mfaExempt: false,
      allowedClients: null,
    },
  ],
  ['mfaExempt: one exempt group is enough', [group('a'), group('svc', { mfaExempt: true })], { ...NO_GROUP_POLICY, mfaExempt: true }],
  ['mfaExempt: none exempt', [group('a'), group('b')], NO_GROUP_POLICY],
  [
    'allowedClients: one group with a list restricts to it',
    [group('a', { allowedClients: ['vpn-1'] }), group('b')],
    { ...NO_GROUP_POLICY, allowedClients: ['vpn-1'] },
  ],
  [
    'allowedClients: the lists of several groups add up, each client once',
    [group('b', { allowedClients: ['wifi', 'vpn-1'] }), group('a', { allowedClients: ['vpn-1', 'vpn-2'] })],
    { ...NO_GROUP_POLICY, allowedClients: ['vpn-1', 'vpn-2', 'wifi'] },
  ],
  ['allowedClients: an empty list allows no client', [group('a', { allowedClients: [] })], { ...NO_GROUP_POLICY, allowedClients: [] }],
];

for (const [name, groups, expected] of cases) {
  test(`group policy: ${name}`, () => {
    assert.deepEqual(combineGroupPolicies(groups), expected);
  });
}

test('group policy: the groups given are not reordered or changed', () => {
  const groups = [group('b', { replyAttributes: [filter('b')] }), group('a', { replyAttributes: [filter('a')] })];
  const copy = structuredClone(groups);
  combineGroupPolicies(groups);
  assert.deepEqual(groups, copy);
});

test('client allowed: any client without a list, only those named with one', () => {
  const table: Array<[string[] | null, string, boolean]> = [
    [null, 'vpn-1', true],
    [['vpn-1'], 'vpn-1', true],
    [['vpn-1'], 'vpn-2', false],
    [['vpn-1'], 'VPN-1', false],
    [[], 'vpn-1', false],
  ];
  for (const [allowedClients, client, expected] of table) {
    assert.equal(clientAllowed({ allowedClients }, client), expected, JSON.stringify({ allowedClients, client }));
  }
});
