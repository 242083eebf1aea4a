/**
 * The route x role table over every route the admin API registers: each route has a decided
 * permission here (a route missing from the table fails the test), and over real HTTP each role's
 * API token is let through or refused with 403 as the permission table says, and a request without
 * credentials gets 401.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { allowed, ROLES, type Permission, type Role } from './permissions.js';
import { startHarness, type Harness } from './testing/admin-api-harness.js';

/** Every route and the permission decided for it. */
const DECIDED: Record<string, Permission> = {
  'GET /api/v1/settings/entra': 'read',
  'PUT /api/v1/settings/entra': 'admin',
  'POST /api/v1/settings/entra/test': 'admin',
  'GET /api/v1/settings/ldap': 'read',
  'PUT /api/v1/settings/ldap': 'admin',
  'POST /api/v1/settings/ldap/test': 'admin',
  'GET /api/v1/settings/fallback-codes': 'read',
  'PUT /api/v1/settings/fallback-codes': 'admin',
  'GET /api/v1/settings/portal': 'read',
  'PUT /api/v1/settings/portal': 'admin',
  'GET /api/v1/settings/policy': 'read',
  'PUT /api/v1/settings/policy': 'admin',
  'POST /api/v1/radius-clients': 'admin',
  'GET /api/v1/radius-clients': 'read',
  'GET /api/v1/radius-clients/:id': 'read',
  'PATCH /api/v1/radius-clients/:id': 'admin',
  'DELETE /api/v1/radius-clients/:id': 'admin',
  'POST /api/v1/users': 'users.write',
  'GET /api/v1/users': 'users.read',
  'GET /api/v1/users/:username': 'users.read',
  'PATCH /api/v1/users/:username': 'users.write',
  'DELETE /api/v1/users/:username': 'users.write',
  'POST /api/v1/groups': 'admin',
  'GET /api/v1/groups': 'groups.read',
  'GET /api/v1/groups/:name': 'groups.read',
  'DELETE /api/v1/groups/:name': 'admin',
  'PUT /api/v1/groups/:name/policy': 'admin',
  'PUT /api/v1/groups/:name/members/:username': 'admin',
  'DELETE /api/v1/groups/:name/members/:username': 'admin',
  'PUT /api/v1/users/:username/totp': 'users.write',
  'POST /api/v1/users/:username/totp': 'users.write',
  'DELETE /api/v1/users/:username/totp': 'users.write',
  'POST /api/v1/users/:username/enrollment-links': 'users.write',
  'GET /api/v1/users/:username/enrollment-links': 'users.read',
  'DELETE /api/v1/users/:username/enrollment-links/:id': 'users.write',
  'DELETE /api/v1/users/:username/lockout': 'users.write',
  'POST /api/v1/tokens/import': 'admin',
  'GET /api/v1/auth-events': 'auth-log.read',
  'GET /api/v1/radius/dictionary': 'read',
  'POST /api/v1/api-tokens': 'admin',
  'GET /api/v1/api-tokens': 'read',
  'DELETE /api/v1/api-tokens/:name': 'admin',
  'GET /api/v1/audit-log': 'audit.read',
  'GET /api/v1/settings/retention': 'read',
  'PUT /api/v1/settings/retention': 'admin',
  'GET /api/v1/settings/admin-security': 'read',
  'PUT /api/v1/settings/admin-security': 'admin',
  'POST /api/v1/admins': 'admin',
  'GET /api/v1/admins': 'read',
  'GET /api/v1/admins/:username': 'read',
  'PATCH /api/v1/admins/:username': 'admin',
  'DELETE /api/v1/admins/:username': 'admin',
  'GET /api/v1/stats/auth': 'auth-log.read',
  'GET /api/v1/services/health': 'status.read',
  'GET /api/v1/session': 'self',
  'DELETE /api/v1/session': 'self',
  'POST /api/v1/session/totp': 'self',
  'PUT /api/v1/session/totp': 'self',
  'GET /api/v1/openapi.json': 'api-description.read',
};

/** Path parameters that name nothing that exists, so an allowed call changes nothing. */
const concrete = (path: string): string =>
  path.replace(':username', 'nobody@contoso.com').replace(':id', '00000000-0000-4000-8000-000000000000').replace(':name', 'no-such-token');
// (POST /api/v1/session is the one route without credentials: sign-in; admin-api-session.int.test.ts covers it.)

describe('admin API: every route x every role', () => {
  let h: Harness;
  const tokens = new Map<Role, string>();

  before(async () => {
    h = await startHarness('adm_roles');
    for (const role of ROLES) {
      const created = await h.call('POST', '/api/v1/api-tokens', { body: { name: `role-${role}`, role } });
      assert.equal(created.status, 201, created.text);
      tokens.set(role, created.body.token);
    }
  });
  after(() => h.close());

  test('every registered route has a decided permission, and it is the one the route declares', () => {
    const registered = h.component.routes.map((r) => `${r.method.toUpperCase()} ${r.path}`);
    const undecided = registered.filter((key) => !(key in DECIDED));
    assert.deepEqual(undecided, [], 'routes without a decided permission in this table');
    assert.deepEqual(
      Object.keys(DECIDED).filter((key) => !registered.includes(key)),
      [],
      'decided routes that no longer exist',
    );
    for (const route of h.component.routes) {
      assert.equal(route.permission, DECIDED[`${route.method.toUpperCase()} ${route.path}`], `${route.method} ${route.path}`);
    }
  });

  test('each role is let through or refused (403) as the permission table says; no credentials is 401', async () => {
    for (const route of h.component.routes) {
      const method = route.method.toUpperCase();
      const path = concrete(route.path);
      const anonymous = await h.call(method, path, { authorization: null });
      assert.equal(anonymous.status, 401, `${method} ${route.path} without credentials`);
      for (const role of ROLES) {
        const answer = await h.call(method, path, { authorization: `Bearer ${tokens.get(role)}` });
        const label = `${role} ${method} ${route.path} -> ${answer.status} ${answer.text}`;
        if (allowed(role, route.permission)) {
          assert.ok(answer.status !== 403 && answer.status !== 401, label);
        } else {
          assert.equal(answer.status, 403, label);
          assert.equal(answer.body.error.code, 'forbidden', label);
        }
      }
    }
  });

  test('a role a route refuses sees the refusal before any body is read or any change made', async () => {
    const refused = await h.call('POST', '/api/v1/radius-clients', {
      authorization: `Bearer ${tokens.get('helpdesk')}`,
      body: { name: 'vpn', address: '192.0.2.1', secret: 'a-shared-secret-long-enough' },
    });
    assert.equal(refused.status, 403);
    const list = await h.call('GET', '/api/v1/radius-clients');
    assert.deepEqual(list.body.clients ?? list.body, []);
  });
});
