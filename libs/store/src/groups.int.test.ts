/**
 * Groups, memberships and the batched policy read, on the real PostgreSQL and on PGlite (the
 * embedded install): the same SQL must give the same answers on both.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '@tollgate/testkit';
import { PgliteDb, PostgresDb, groups, migrate, tokens, users, type Db } from './index.js';

const database = await createTestDatabase('store_groups');
const backends: Array<[string, Db]> = [
  ['postgres', new PostgresDb({ url: database.url })],
  ['pglite', await PgliteDb.open({ dataDir: 'memory://' })],
];
after(async () => {
  for (const [, db] of backends) await db.close();
  await database.drop();
});

for (const [kind, db] of backends) {
  test(`groups on ${kind}: create, list with member counts, policy, memberships by source, cascades`, async () => {
    await migrate(db);
    for (const upn of ['ann@contoso.com', 'bob@contoso.com', 'svc@contoso.com']) await users.create(db, { upn });
    await tokens.put(db, { upn: 'ann@contoso.com', secretSealed: 'v1.x', digits: 6, period: 30, algorithm: 'SHA1', source: 'generated' });

    assert.equal(await groups.create(db, { name: 'vpn-staff', description: 'Staff VPN' }), true);
    assert.equal(await groups.create(db, { name: 'vpn-staff' }), false, 'a second create of the same name');
    assert.equal(await groups.create(db, { name: 'Admins' }), true);
    assert.equal(await groups.create(db, { name: 'service' }), true);

    const fresh = await groups.get(db, 'vpn-staff');
    assert.ok(fresh);
    assert.deepEqual(
      { ...fresh, createdAt: undefined, updatedAt: undefined },
      {
        name: 'vpn-staff',
        description: 'Staff VPN',
        replyAttributes: [],
        mfaExempt: false,
        allowedClients: null,
        memberCount: 0,
        createdAt: undefined,
        updatedAt: undefined,
      },
    );
    assert.equal(await groups.get(db, 'nobody'), null);

    const attributes = [
      { name: 'Filter-Id', value: 'staff' },
      { name: 'Session-Timeout', value: 3600 },
    ];
    assert.equal(await groups.setPolicy(db, 'vpn-staff', { replyAttributes: attributes, allowedClients: ['vpn', 'wifi'] }), true);
    assert.equal(await groups.setPolicy(db, 'service', { mfaExempt: true }), true);
    assert.equal(await groups.setPolicy(db, 'nobody', { mfaExempt: true }), false);
    // Only the parts given change.
    assert.equal(await groups.setPolicy(db, 'vpn-staff', { mfaExempt: false }), true);
    let staff = await groups.get(db, 'vpn-staff');
    assert.deepEqual(staff?.replyAttributes, attributes);
    assert.deepEqual(staff?.allowedClients, ['vpn', 'wifi']);
    assert.equal(await groups.setPolicy(db, 'vpn-staff', { allowedClients: null }), true);
    staff = await groups.get(db, 'vpn-staff');
    assert.equal(staff?.allowedClients, null);
    assert.deepEqual(staff?.replyAttributes, attributes);

    assert.equal(await groups.addMember(db, 'vpn-staff', 'ann@contoso.com'), true);
    assert.equal(await groups.addMember(db, 'vpn-staff', 'ann@contoso.com'), false, 'already a member from tollgate');
    assert.equal(await groups.addMember(db, 'vpn-staff', 'ann@contoso.com', 'entra'), true, 'the same user from another source');
    assert.equal(await groups.addMember(db, 'vpn-staff', 'bob@contoso.com'), true);
    assert.equal(await groups.addMember(db, 'Admins', 'ann@contoso.com', 'ldap'), true);
    assert.equal(await groups.addMember(db, 'service', 'svc@contoso.com'), true);
    await assert.rejects(groups.addMember(db, 'vpn-staff', 'ghost@contoso.com'), (e: { code?: string }) => e.code === '23503');
    await assert.rejects(groups.addMember(db, 'ghosts', 'ann@contoso.com'), (e: { code?: string }) => e.code === '23503');

    assert.deepEqual(
      (await groups.list(db)).map((g) => [g.name, g.memberCount]),
      [
        ['Admins', 1],
        ['service', 1],
        ['vpn-staff', 2],
      ],
      'code-point order (upper case first), a user counted once whatever the sources',
    );
    assert.deepEqual(await groups.groupsOf(db, 'ann@contoso.com'), [
      { name: 'Admins', source: 'ldap' },
      { name: 'vpn-staff', source: 'entra' },
      { name: 'vpn-staff', source: 'tollgate' },
    ]);
    assert.deepEqual(
      (await groups.members(db, 'vpn-staff')).map((m) => [m.upn, m.source]),
      [
        ['ann@contoso.com', 'entra'],
        ['ann@contoso.com', 'tollgate'],
        ['bob@contoso.com', 'tollgate'],
      ],
    );

    const policies = await groups.policiesOf(db, ['ann@contoso.com', 'svc@contoso.com', 'ghost@contoso.com', 'ann@contoso.com']);
    assert.deepEqual(policies.get('ann@contoso.com'), [
      { name: 'Admins', replyAttributes: [], mfaExempt: false, allowedClients: null },
      { name: 'vpn-staff', replyAttributes: attributes, mfaExempt: false, allowedClients: null },
    ]);
    assert.deepEqual(policies.get('svc@contoso.com'), [{ name: 'service', replyAttributes: [], mfaExempt: true, allowedClients: null }]);
    assert.equal(policies.has('ghost@contoso.com'), false);
    assert.equal(policies.has('bob@contoso.com'), false, 'only the UPNs asked for');

    // Removing the tollgate membership leaves the one from Entra.
    assert.equal(await groups.removeMember(db, 'vpn-staff', 'ann@contoso.com'), true);
    assert.equal(await groups.removeMember(db, 'vpn-staff', 'ann@contoso.com'), false);
    assert.deepEqual(await groups.groupsOf(db, 'ann@contoso.com'), [
      { name: 'Admins', source: 'ldap' },
      { name: 'vpn-staff', source: 'entra' },
    ]);

    // Deleting a user or a group takes its memberships with it.
    assert.equal(await users.remove(db, 'bob@contoso.com'), true);
    assert.equal((await groups.get(db, 'vpn-staff'))?.memberCount, 1);
    assert.equal(await groups.remove(db, 'vpn-staff'), true);
    assert.equal(await groups.remove(db, 'vpn-staff'), false);
    assert.deepEqual(await groups.groupsOf(db, 'ann@contoso.com'), [{ name: 'Admins', source: 'ldap' }]);
  });
}
