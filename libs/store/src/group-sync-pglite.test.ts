import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PgliteDb, groups, migrate, radiusClients, users } from './index.js';

// The LDAP group sync and the password sources, on the embedded database (the same SQL runs on PostgreSQL in the int tests).
let db: PgliteDb;
before(async () => {
  db = await PgliteDb.open({ dataDir: 'memory://' });
  await migrate(db);
  await users.create(db, { upn: 'sync@contoso.com' });
  for (const name of ['VPN-Users', 'admins', 'manual']) await groups.create(db, { name });
  await groups.addMember(db, 'manual', 'sync@contoso.com');
  await groups.addMember(db, 'admins', 'sync@contoso.com');
});
after(async () => {
  await db.close();
});

test("syncMemberships makes the source's memberships exactly the named Tollgate groups, case aside", async () => {
  const first = await groups.syncMemberships(db, 'sync@contoso.com', 'ldap', ['vpn-users', 'ADMINS', 'not-a-group']);
  assert.deepEqual(first, { groups: ['VPN-Users', 'admins'], changed: true });
  assert.deepEqual(await groups.groupsOf(db, 'sync@contoso.com'), [
    { name: 'VPN-Users', source: 'ldap' },
    { name: 'admins', source: 'ldap' },
    { name: 'admins', source: 'tollgate' },
    { name: 'manual', source: 'tollgate' },
  ]);
  assert.deepEqual(await groups.syncMemberships(db, 'sync@contoso.com', 'ldap', ['VPN-USERS', 'admins']), {
    groups: ['VPN-Users', 'admins'],
    changed: false,
  });
  // Left in LDAP: the ldap membership goes, the admin's stays.
  assert.deepEqual(await groups.syncMemberships(db, 'sync@contoso.com', 'ldap', []), { groups: [], changed: true });
  assert.deepEqual(await groups.groupsOf(db, 'sync@contoso.com'), [
    { name: 'admins', source: 'tollgate' },
    { name: 'manual', source: 'tollgate' },
  ]);
  // No such Tollgate user: nothing, and no error.
  assert.deepEqual(await groups.syncMemberships(db, 'ghost@contoso.com', 'ldap', ['admins']), { groups: [], changed: false });
});

test('passwordSources: stored in order, default ["entra"], changed by update', async () => {
  const base = { name: 'nas', address: '192.0.2.1', secretSealed: 'sealed', requireMessageAuthenticator: true };
  await radiusClients.create(db, { id: 'c1', ...base });
  assert.deepEqual((await radiusClients.get(db, 'c1'))?.passwordSources, ['entra']);
  await radiusClients.create(db, { id: 'c2', ...base, name: 'nas-2', address: '192.0.2.2', passwordSources: ['ldap', 'entra'] });
  assert.deepEqual((await radiusClients.get(db, 'c2'))?.passwordSources, ['ldap', 'entra']);
  assert.equal(await radiusClients.update(db, 'c1', { passwordSources: ['ldap'] }), true);
  assert.deepEqual((await radiusClients.get(db, 'c1'))?.passwordSources, ['ldap']);
  assert.equal(await radiusClients.update(db, 'c1', { name: 'renamed' }), true);
  assert.deepEqual((await radiusClients.get(db, 'c1'))?.passwordSources, ['ldap'], 'kept when not changed');
  // A value written by hand that names nothing Tollgate knows reads as the default.
  await db.query(`UPDATE radius_clients SET password_sources = '["kerberos"]'::jsonb WHERE id = 'c2'`);
  assert.deepEqual((await radiusClients.get(db, 'c2'))?.passwordSources, ['entra']);
});
