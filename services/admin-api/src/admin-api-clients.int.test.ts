/** Integration tests of `/api/v1/radius-clients` against real PostgreSQL: CRUD, validation, conflicts, sealing, events. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { radiusClients } from '@tollgate/store';
import { leaks, startHarness, type Harness } from './testing/admin-api-harness.js';

const SECRET = 'nas-shared-secret-Qw3rty!';
const NEW_SECRET = 'rotated-shared-secret-Zx9?';
let h: Harness;
before(async () => {
  h = await startHarness('admin_clients');
});
after(async () => {
  await h.close();
});

test('create, read, list, update and delete a RADIUS client', async () => {
  h.events.length = 0;
  const created = await h.call('POST', '/api/v1/radius-clients', { body: { name: 'vpn-1', address: '192.0.2.10/32', secret: SECRET } });
  assert.equal(created.status, 201);
  const { id } = created.body;
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.deepEqual(Object.keys(created.body).sort(), [
    'address',
    'createdAt',
    'fallbackCodes',
    'id',
    'name',
    'otpMode',
    'passwordSources',
    'requireMessageAuthenticator',
  ]);
  assert.equal(created.body.otpMode, 'append', 'the code is appended to the password by default');
  assert.deepEqual(created.body.passwordSources, ['entra'], 'Entra checks the passwords by default');
  assert.equal(created.body.address, '192.0.2.10', 'canonical: a /32 is the host');
  assert.equal(created.body.requireMessageAuthenticator, true, 'Message-Authenticator required by default');
  assert.deepEqual(await h.waitForEvent((e) => e.kind === 'radius_clients'), { kind: 'radius_clients' });

  const row = await radiusClients.get(h.db, id);
  assert.ok(row && !row.secretSealed.includes(SECRET), 'the secret is stored sealed');
  assert.equal(h.keyring.openText(row.secretSealed, `radius-client:${id}`), SECRET);
  assert.throws(() => h.keyring.openText(row.secretSealed, 'radius-client:other'), 'bound to this client');

  const second = await h.call('POST', '/api/v1/radius-clients', {
    body: {
      name: 'vpn-v6',
      address: '2001:DB8:0:0::/64',
      secret: SECRET,
      requireMessageAuthenticator: false,
      otpMode: 'challenge',
      passwordSources: ['ldap'],
    },
  });
  assert.equal(second.status, 201);
  assert.deepEqual(second.body.passwordSources, ['ldap']);
  assert.deepEqual((await radiusClients.get(h.db, second.body.id))?.passwordSources, ['ldap']);
  assert.equal(second.body.otpMode, 'challenge');
  assert.equal((await radiusClients.get(h.db, second.body.id))?.otpMode, 'challenge');
  assert.equal(second.body.address, '2001:db8::/64');
  assert.equal(second.body.requireMessageAuthenticator, false);

  assert.deepEqual((await h.call('GET', `/api/v1/radius-clients/${id}`)).body, created.body);
  const list = await h.call('GET', '/api/v1/radius-clients');
  assert.deepEqual(
    list.body.clients.map((c: { name: string }) => c.name),
    ['vpn-1', 'vpn-v6'],
  );

  h.events.length = 0;
  const patched = await h.call('PATCH', `/api/v1/radius-clients/${id}`, {
    body: { name: 'vpn-primary', secret: NEW_SECRET, requireMessageAuthenticator: false, otpMode: 'auto' },
  });
  assert.equal(patched.status, 200);
  assert.deepEqual(
    { ...patched.body, createdAt: undefined },
    {
      id,
      name: 'vpn-primary',
      address: '192.0.2.10',
      requireMessageAuthenticator: false,
      otpMode: 'auto',
      passwordSources: ['entra'],
      fallbackCodes: false,
      createdAt: undefined,
    },
  );
  // passwordSources alone is a change: an ordered list, LDAP first with Entra when LDAP is unavailable.
  const sources = await h.call('PATCH', `/api/v1/radius-clients/${id}`, { body: { passwordSources: ['ldap', 'entra'] } });
  assert.equal(sources.status, 200);
  assert.deepEqual(sources.body.passwordSources, ['ldap', 'entra']);
  assert.deepEqual((await radiusClients.get(h.db, id))?.passwordSources, ['ldap', 'entra']);
  for (const [bad, problem] of [
    [[], /at least one/],
    [['entra', 'entra'], /twice/],
    [['kerberos'], /must be one of entra, ldap/],
    ['ldap', /must be an array/],
  ] as const) {
    const res = await h.call('PATCH', `/api/v1/radius-clients/${id}`, { body: { passwordSources: bad } });
    assert.equal(res.status, 400, JSON.stringify(bad));
    assert.equal(res.body.error.field.split('.')[0], 'passwordSources', JSON.stringify(res.body));
    assert.match(res.body.error.message, problem, JSON.stringify(res.body));
  }
  // otpMode alone is a change; the rest is kept.
  const modeOnly = await h.call('PATCH', `/api/v1/radius-clients/${id}`, { body: { otpMode: 'challenge' } });
  assert.equal(modeOnly.status, 200);
  assert.equal(modeOnly.body.otpMode, 'challenge');
  assert.equal(modeOnly.body.name, 'vpn-primary');
  await h.waitForEvent((e) => e.kind === 'radius_clients');
  const rotated = (await radiusClients.get(h.db, id))!;
  assert.equal(h.keyring.openText(rotated.secretSealed, `radius-client:${id}`), NEW_SECRET);

  h.events.length = 0;
  assert.equal((await h.call('DELETE', `/api/v1/radius-clients/${id}`)).status, 204);
  await h.waitForEvent((e) => e.kind === 'radius_clients');
  assert.equal(await radiusClients.get(h.db, id), null);
  assert.equal((await h.call('GET', `/api/v1/radius-clients/${id}`)).status, 404);
  assert.ok(h.logs.some((l) => l.includes('"action":"radius_client.delete"') && l.includes(id)));
});

test('bad input -> 400 naming the field', async () => {
  const ok = { name: 'nas', address: '198.51.100.0/24', secret: SECRET };
  const cases: Array<[Record<string, unknown>, string, RegExp]> = [
    [{ ...ok, address: '198.51.100.7/24' }, 'address', /^address: must have its host bits zero \(did you mean 198\.51\.100\.0\/24\?\)$/],
    [{ ...ok, address: 'vpn.example.com' }, 'address', /^address: must be an IPv4 or IPv6 address or CIDR/],
    [{ ...ok, address: '10.0.0.0/40' }, 'address', /prefix length from 0 to 32/],
    [{ ...ok, secret: 'short' }, 'secret', /^secret: must be at least 8 characters/],
    [{ ...ok, secret: 'tab\there-secret' }, 'secret', /^secret: must be printable ASCII$/],
    [{ ...ok, name: '' }, 'name', /^name: must not be empty$/],
    [{ ...ok, requireMessageAuthenticator: 'yes' }, 'requireMessageAuthenticator', /must be a boolean$/],
    [{ ...ok, port: 1812 }, 'port', /^port: is not a known field$/],
    [{ ...ok, otpMode: 'prompt' }, 'otpMode', /^otpMode: must be one of append, challenge, auto$/],
    [{ name: 'nas', secret: SECRET }, 'address', /^address: is required$/],
  ];
  for (const [body, field, message] of cases) {
    const res = await h.call('POST', '/api/v1/radius-clients', { body });
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(res.body.error.field, field);
    assert.match(res.body.error.message, message);
  }
  assert.deepEqual(leaks(h, 'tab\\there-secret'), []);
  const created = await h.call('POST', '/api/v1/radius-clients', { body: ok });
  const patchCases: Array<[Record<string, unknown>, string]> = [
    [{}, 'body'],
    [{ address: '10.0.0.0/8' }, 'address'],
    [{ secret: 'x' }, 'secret'],
    [{ otpMode: 'APPEND' }, 'otpMode'],
  ];
  for (const [body, field] of patchCases) {
    const res = await h.call('PATCH', `/api/v1/radius-clients/${created.body.id}`, { body });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.field, field);
  }
});

test('duplicate name or address -> 409; missing client -> 404', async () => {
  const first = await h.call('POST', '/api/v1/radius-clients', { body: { name: 'dup', address: '203.0.113.0/28', secret: SECRET } });
  assert.equal(first.status, 201);
  const sameName = await h.call('POST', '/api/v1/radius-clients', { body: { name: 'dup', address: '203.0.113.64/28', secret: SECRET } });
  assert.equal(sameName.status, 409);
  assert.deepEqual(sameName.body.error, { code: 'conflict', message: 'name: a client with this name already exists', field: 'name' });
  // The same network written differently is still the same address.
  const sameAddress = await h.call('POST', '/api/v1/radius-clients', {
    body: { name: 'other', address: '::ffff:203.0.113.0/124', secret: SECRET },
  });
  assert.equal(sameAddress.status, 409);
  assert.equal(sameAddress.body.error.field, 'address');
  const renameClash = await h.call('PATCH', `/api/v1/radius-clients/${first.body.id}`, { body: { name: 'nas' } });
  assert.equal(renameClash.status, 409);

  const missing = '00000000-0000-4000-8000-000000000000';
  assert.equal((await h.call('GET', `/api/v1/radius-clients/${missing}`)).body.error.code, 'not_found');
  assert.equal((await h.call('PATCH', `/api/v1/radius-clients/${missing}`, { body: { name: 'x' } })).status, 404);
  assert.equal((await h.call('DELETE', `/api/v1/radius-clients/${missing}`)).status, 404);
});

test('no shared secret reached a response or a log line', () => {
  assert.deepEqual(leaks(h, SECRET), []);
  assert.deepEqual(leaks(h, NEW_SECRET), []);
});
