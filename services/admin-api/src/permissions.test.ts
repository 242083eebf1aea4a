import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowed, defaultPermission, isRole, PERMISSIONS, permissionsOf, ROLES, type Permission, type Role } from './permissions.js';

const TABLE: [Permission, Role, boolean][] = [
  ['admin', 'admin', true],
  ['admin', 'helpdesk', false],
  ['admin', 'auditor', false],
  ['read', 'admin', true],
  ['read', 'helpdesk', false],
  ['read', 'auditor', true],
  ['users.read', 'admin', true],
  ['users.read', 'helpdesk', true],
  ['users.read', 'auditor', true],
  ['users.write', 'admin', true],
  ['users.write', 'helpdesk', true],
  ['users.write', 'auditor', false],
  ['groups.read', 'admin', true],
  ['groups.read', 'helpdesk', true],
  ['groups.read', 'auditor', true],
  ['auth-log.read', 'admin', true],
  ['auth-log.read', 'helpdesk', true],
  ['auth-log.read', 'auditor', true],
  ['audit.read', 'admin', true],
  ['audit.read', 'helpdesk', false],
  ['audit.read', 'auditor', true],
  ['status.read', 'admin', true],
  ['status.read', 'helpdesk', true],
  ['status.read', 'auditor', true],
  ['self', 'admin', true],
  ['self', 'helpdesk', true],
  ['self', 'auditor', true],
  ['api-description.read', 'admin', true],
  ['api-description.read', 'helpdesk', true],
  ['api-description.read', 'auditor', true],
];

test('the permission table, every permission for every role', () => {
  assert.equal(TABLE.length, Object.keys(PERMISSIONS).length * ROLES.length, 'the table covers every pair');
  for (const [permission, role, expected] of TABLE) {
    assert.equal(allowed(role, permission), expected, `${role} ${permission}`);
  }
});

test('admin holds every permission; auditor holds no write', () => {
  for (const permission of Object.keys(PERMISSIONS) as Permission[]) {
    assert.equal(allowed('admin', permission), true, permission);
    if (permission === 'admin' || permission.endsWith('.write')) assert.equal(allowed('auditor', permission), false, permission);
  }
});

test('a route without a permission: GET is read, any other method is admin', () => {
  const table: [string, Permission][] = [
    ['get', 'read'],
    ['GET', 'read'],
    ['post', 'admin'],
    ['put', 'admin'],
    ['patch', 'admin'],
    ['delete', 'admin'],
  ];
  for (const [method, expected] of table) assert.equal(defaultPermission(method), expected, method);
});

test('isRole accepts the three roles only', () => {
  const table: [unknown, boolean][] = [
    ['admin', true],
    ['helpdesk', true],
    ['auditor', true],
    ['Admin', false],
    ['root', false],
    ['', false],
    [undefined, false],
    [1, false],
  ];
  for (const [value, expected] of table) assert.equal(isRole(value), expected, String(value));
});

test('permissionsOf lists exactly the permissions a role holds', () => {
  assert.deepEqual(permissionsOf('helpdesk'), [
    'users.read',
    'users.write',
    'groups.read',
    'auth-log.read',
    'status.read',
    'self',
    'api-description.read',
  ]);
  assert.deepEqual(permissionsOf('auditor'), [
    'read',
    'users.read',
    'groups.read',
    'auth-log.read',
    'audit.read',
    'status.read',
    'self',
    'api-description.read',
  ]);
  assert.deepEqual(permissionsOf('admin'), Object.keys(PERMISSIONS));
});
