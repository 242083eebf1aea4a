/**
 * Integration tests of `/api/v1/groups` against real PostgreSQL: CRUD, the policy and its
 * validation (400s naming the field), memberships with their source, the user view's groups,
 * audit entries, config events, and cascades when a user or a group is deleted.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { adminAudit, groups } from '@tollgate/store';
import { startHarness, type Harness } from './testing/admin-api-harness.js';

let h: Harness;
before(async () => {
  h = await startHarness('admin_groups');
  const entra = await h.call('PUT', '/api/v1/settings/entra', {
    body: { enabled: true, tenantId: 'contoso.com', clientId: '00001111-aaaa-2222-bbbb-3333cccc4444', domain: 'contoso.com' },
  });
  assert.equal(entra.status, 200);
  for (const [name, address] of [
    ['vpn-1', '192.0.2.10'],
    ['wifi', '192.0.2.20'],
  ]) {
    const client = await h.call('POST', '/api/v1/radius-clients', { body: { name, address, secret: 'a-shared-secret-long-enough' } });
    assert.equal(client.status, 201, client.text);
  }
  for (const username of ['ann', 'bob', 'svc-backup']) {
    assert.equal((await h.call('POST', '/api/v1/users', { body: { username } })).status, 201);
  }
});
after(async () => {
  await h.close();
});

const lastAudit = async (action: string) => (await adminAudit.list(h.db, { limit: 1, action }))[0];

test('create, list, read and delete groups', async () => {
  h.events.length = 0;
  const created = await h.call('POST', '/api/v1/groups', { body: { name: 'vpn-staff', description: 'Staff on the VPN' } });
  assert.equal(created.status, 201, created.text);
  assert.deepEqual(
    { ...created.body, createdAt: undefined, updatedAt: undefined },
    {
      name: 'vpn-staff',
      description: 'Staff on the VPN',
      replyAttributes: [],
      mfaExempt: false,
      allowedClients: null,
      memberCount: 0,
      createdAt: undefined,
      updatedAt: undefined,
    },
  );
  assert.deepEqual(await h.waitForEvent((e) => e.kind === 'groups'), { kind: 'groups' });
  const audit = await lastAudit('group.create');
  assert.equal(audit?.target, 'vpn-staff');
  assert.equal(audit?.outcome, 'success');

  const again = await h.call('POST', '/api/v1/groups', { body: { name: 'vpn-staff' } });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.field, 'name');

  assert.equal((await h.call('POST', '/api/v1/groups', { body: { name: 'Admins.EU_1' } })).status, 201);
  const list = await h.call('GET', '/api/v1/groups');
  assert.equal(list.status, 200);
  assert.deepEqual(
    list.body.groups.map((g: { name: string; memberCount: number }) => [g.name, g.memberCount]),
    [
      ['Admins.EU_1', 0],
      ['vpn-staff', 0],
    ],
  );
  const one = await h.call('GET', '/api/v1/groups/vpn-staff');
  assert.equal(one.status, 200);
  assert.deepEqual(one.body.members, []);
  assert.equal((await h.call('GET', '/api/v1/groups/nobody')).status, 404);

  h.events.length = 0;
  assert.equal((await h.call('DELETE', '/api/v1/groups/Admins.EU_1')).status, 204);
  await h.waitForEvent((e) => e.kind === 'groups');
  assert.equal((await lastAudit('group.delete'))?.target, 'Admins.EU_1');
  const gone = await h.call('DELETE', '/api/v1/groups/Admins.EU_1');
  assert.equal(gone.status, 404);
  assert.equal(gone.body.error.field, 'name');
});

test('group names and bodies: 400s naming the field', async () => {
  const bad: Array<[unknown, string]> = [
    [{}, 'name'],
    [{ name: '' }, 'name'],
    [{ name: '-staff' }, 'name'],
    [{ name: '.staff' }, 'name'],
    [{ name: 'staff group' }, 'name'],
    [{ name: 'staff/eu' }, 'name'],
    [{ name: 'ä' }, 'name'],
    [{ name: 'x'.repeat(65) }, 'name'],
    [{ name: 42 }, 'name'],
    [{ name: 'ok', description: 'a\u0007b' }, 'description'],
    [{ name: 'ok', colour: 'blue' }, 'colour'],
  ];
  for (const [body, field] of bad) {
    const res = await h.call('POST', '/api/v1/groups', { body });
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(res.body.error.field, field, JSON.stringify(body));
  }
  assert.equal((await h.call('POST', '/api/v1/groups', { body: { name: 'x'.repeat(64) } })).status, 201, '64 characters is the most');
  assert.equal((await h.call('DELETE', `/api/v1/groups/${'x'.repeat(64)}`)).status, 204);
});

test('policy: reply attributes checked with the dictionary, allowed clients must exist, a warning for an exemption', async () => {
  await h.call('POST', '/api/v1/groups', { body: { name: 'policy-test' } });
  h.events.length = 0;
  const set = await h.call('PUT', '/api/v1/groups/policy-test/policy', {
    body: {
      replyAttributes: [
        { name: 'fortinet-group-name', value: 'staff' },
        { name: 'Session-Timeout', value: '3600' },
      ],
      allowedClients: ['wifi', 'vpn-1', 'wifi'],
    },
  });
  assert.equal(set.status, 200, set.text);
  assert.deepEqual(set.body.replyAttributes, [
    { name: 'Fortinet-Group-Name', value: 'staff' },
    { name: 'Session-Timeout', value: 3600 },
  ]);
  assert.deepEqual(set.body.allowedClients, ['wifi', 'vpn-1']);
  assert.equal(set.body.mfaExempt, false);
  assert.equal(set.body.warning, undefined);
  await h.waitForEvent((e) => e.kind === 'groups');
  const audit = await lastAudit('group.policy');
  assert.deepEqual(audit?.details.changed, ['replyAttributes', 'allowedClients']);
  assert.equal(audit?.details.mfaExempt, false);

  // Only the parts sent change; null lifts the client restriction.
  const lifted = await h.call('PUT', '/api/v1/groups/policy-test/policy', { body: { allowedClients: null } });
  assert.equal(lifted.status, 200);
  assert.equal(lifted.body.allowedClients, null);
  assert.equal(lifted.body.replyAttributes.length, 2);

  const exempt = await h.call('PUT', '/api/v1/groups/policy-test/policy', { body: { mfaExempt: true } });
  assert.equal(exempt.status, 200);
  assert.equal(exempt.body.mfaExempt, true);
  assert.match(exempt.body.warning, /password alone.*weakens security/);
  const exemptAudit = await lastAudit('group.policy');
  assert.equal(exemptAudit?.details.mfaExempt, true);
  assert.match(String(exemptAudit?.details.warning), /weakens security/);
  assert.match((await h.call('GET', '/api/v1/groups/policy-test')).body.warning, /weakens security/, 'shown on reads too');

  const bad: Array<[unknown, string]> = [
    [{}, 'body'],
    [
      {
        replyAttributes: [
          { name: 'Filter-Id', value: 'ok' },
          { name: 'Fortinet-Group', value: 'x' },
        ],
      },
      'replyAttributes.1.name',
    ],
    [
      {
        replyAttributes: [
          { name: 'Filter-Id', value: 'ok' },
          { name: 'Session-Timeout', value: -5 },
        ],
      },
      'replyAttributes.1.value',
    ],
    [{ replyAttributes: [{ name: 'User-Password', value: 'x' }] }, 'replyAttributes.0.name'],
    [{ replyAttributes: [{ name: 'Filter-Id', value: 'ok', vendor: 9 }] }, 'replyAttributes.0.vendor'],
    [{ replyAttributes: [{ name: 'Filter-Id' }] }, 'replyAttributes.0.value'],
    [{ replyAttributes: Array.from({ length: 65 }, () => ({ name: 'Filter-Id', value: 'x' })) }, 'replyAttributes'],
    [{ allowedClients: ['vpn-1', 'no-such-nas'] }, 'allowedClients.1'],
    [{ allowedClients: [''] }, 'allowedClients.0'],
    [{ allowedClients: 'vpn-1' }, 'allowedClients'],
    [{ mfaExempt: 'yes' }, 'mfaExempt'],
    [{ mfaExempt: false, priority: 1 }, 'priority'],
  ];
  for (const [body, field] of bad) {
    const res = await h.call('PUT', '/api/v1/groups/policy-test/policy', { body });
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(res.body.error.field, field, JSON.stringify(body));
  }
  // Nothing of the refused bodies was stored.
  const stored = await groups.get(h.db, 'policy-test');
  assert.deepEqual([stored?.mfaExempt, stored?.allowedClients, stored?.replyAttributes.length], [true, null, 2]);
  const unknown = await h.call('PUT', '/api/v1/groups/nobody/policy', { body: { mfaExempt: true } });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.field, 'name');
});

test('memberships: canonical user names, idempotent PUT, source tollgate, the user view lists groups', async () => {
  await h.call('POST', '/api/v1/groups', { body: { name: 'members-a' } });
  await h.call('POST', '/api/v1/groups', { body: { name: 'members-b' } });
  h.events.length = 0;
  const added = await h.call('PUT', '/api/v1/groups/members-a/members/ANN');
  assert.equal(added.status, 200, added.text);
  assert.deepEqual(added.body, { group: 'members-a', upn: 'ann@contoso.com', source: 'tollgate', added: true });
  assert.deepEqual(await h.waitForEvent((e) => e.kind === 'users'), { kind: 'users', key: 'ann@contoso.com' });
  const audit = await lastAudit('group.member.add');
  assert.deepEqual([audit?.target, audit?.details.upn, audit?.details.source], ['members-a', 'ann@contoso.com', 'tollgate']);
  const twice = await h.call('PUT', '/api/v1/groups/members-a/members/ann@contoso.com');
  assert.equal(twice.status, 200);
  assert.equal(twice.body.added, false);
  assert.equal((await adminAudit.list(h.db, { limit: 10, action: 'group.member.add' })).length, 1, 'no change, no audit entry');

  assert.equal((await h.call('PUT', '/api/v1/groups/members-b/members/ann')).status, 200);
  assert.equal((await h.call('PUT', '/api/v1/groups/members-b/members/bob')).status, 200);
  // A membership from another directory sits beside the one made here.
  await groups.addMember(h.db, 'members-a', 'ann@contoso.com', 'entra');

  const ann = await h.call('GET', '/api/v1/users/ann');
  assert.equal(ann.status, 200);
  assert.deepEqual(ann.body.groups, [
    { name: 'members-a', source: 'entra' },
    { name: 'members-a', source: 'tollgate' },
    { name: 'members-b', source: 'tollgate' },
  ]);
  const group = await h.call('GET', '/api/v1/groups/members-a');
  assert.equal(group.body.memberCount, 1);
  assert.deepEqual(
    group.body.members.map((m: { upn: string; source: string }) => [m.upn, m.source]),
    [
      ['ann@contoso.com', 'entra'],
      ['ann@contoso.com', 'tollgate'],
    ],
  );

  const notFound: Array<[string, string, string]> = [
    ['PUT', '/api/v1/groups/nobody/members/ann', 'name'],
    ['PUT', '/api/v1/groups/members-a/members/ghost', 'username'],
    ['DELETE', '/api/v1/groups/nobody/members/ann', 'name'],
    ['DELETE', '/api/v1/groups/members-a/members/ghost', 'username'],
    ['DELETE', '/api/v1/groups/members-b/members/svc-backup', 'username'],
  ];
  for (const [method, path, field] of notFound) {
    const res = await h.call(method, path);
    assert.equal(res.status, 404, `${method} ${path}`);
    assert.equal(res.body.error.field, field, `${method} ${path}`);
  }

  h.events.length = 0;
  assert.equal((await h.call('DELETE', '/api/v1/groups/members-a/members/ann')).status, 204);
  await h.waitForEvent((e) => e.kind === 'users' && e.key === 'ann@contoso.com');
  assert.equal((await lastAudit('group.member.remove'))?.details.upn, 'ann@contoso.com');
  // Only the Tollgate membership goes; the one from Entra is that directory's to change.
  assert.deepEqual((await h.call('GET', '/api/v1/users/ann')).body.groups, [
    { name: 'members-a', source: 'entra' },
    { name: 'members-b', source: 'tollgate' },
  ]);
  assert.equal((await h.call('DELETE', '/api/v1/groups/members-a/members/ann')).status, 404);

  const fresh = await h.call('GET', '/api/v1/users/svc-backup');
  assert.deepEqual(fresh.body.groups, []);
});

test('cascades: deleting a user or a group takes its memberships with it', async () => {
  await h.call('POST', '/api/v1/groups', { body: { name: 'cascade' } });
  await h.call('POST', '/api/v1/users', { body: { username: 'leaver' } });
  assert.equal((await h.call('PUT', '/api/v1/groups/cascade/members/leaver')).status, 200);
  assert.equal((await h.call('PUT', '/api/v1/groups/cascade/members/svc-backup')).status, 200);
  assert.equal((await h.call('GET', '/api/v1/groups/cascade')).body.memberCount, 2);
  assert.equal((await h.call('DELETE', '/api/v1/users/leaver')).status, 204);
  assert.equal((await h.call('GET', '/api/v1/groups/cascade')).body.memberCount, 1);
  // Re-created, the user is in no group.
  await h.call('POST', '/api/v1/users', { body: { username: 'leaver' } });
  assert.deepEqual((await h.call('GET', '/api/v1/users/leaver')).body.groups, []);

  assert.equal((await h.call('DELETE', '/api/v1/groups/cascade')).status, 204);
  assert.deepEqual(await groups.groupsOf(h.db, 'svc-backup@contoso.com'), []);
  assert.deepEqual((await h.call('GET', '/api/v1/users/svc-backup')).body.groups, []);
});
