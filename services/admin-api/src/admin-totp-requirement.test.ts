import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDuringTotpEnrolment, totpEnrolmentRequired } from './admin-totp-requirement.js';
import type { Role } from './permissions.js';

test('who must enrol a TOTP before the session is full', () => {
  const table: [boolean, Role, boolean, boolean][] = [
    // setting on, role, has TOTP -> held back
    [true, 'admin', false, true],
    [true, 'admin', true, false],
    [true, 'helpdesk', false, false],
    [true, 'auditor', false, false],
    [false, 'admin', false, false],
    [false, 'admin', true, false],
    [false, 'helpdesk', false, false],
  ];
  for (const [requireTotpForAdmins, role, hasTotp, expected] of table) {
    assert.equal(
      totpEnrolmentRequired({ role, hasTotp }, { requireTotpForAdmins }),
      expected,
      `${requireTotpForAdmins} ${role} ${hasTotp}`,
    );
  }
});

test('the routes a held-back session may call', () => {
  const table: [string, string, boolean][] = [
    ['get', '/api/v1/session', true],
    ['delete', '/api/v1/session', true],
    ['post', '/api/v1/session/totp', true],
    ['PUT', '/api/v1/session/totp', true],
    ['delete', '/api/v1/session/totp', false],
    ['get', '/api/v1/users', false],
    ['put', '/api/v1/settings/admin-security', false],
    ['get', '/api/v1/openapi.json', false],
    ['post', '/api/v1/admins', false],
  ];
  for (const [method, path, expected] of table) assert.equal(openDuringTotpEnrolment(method, path), expected, `${method} ${path}`);
});
