/** `GET /api/v1/radius/dictionary` on the real component: auth, the shipped attributes, RADIUS_DICTIONARY_DIR. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '@tollgate/logging';
import { DictionaryError } from '@tollgate/radius-dictionary';
import type { ServiceContext } from '@tollgate/runtime';
import { adminApi } from './index.js';
import { startHarness, type Harness } from './testing/admin-api-harness.js';

const directory = mkdtempSync(path.join(tmpdir(), 'tollgate-admin-dict-'));
let h: Harness;
before(async () => {
  writeFileSync(
    path.join(directory, 'dictionary.acme'),
    'VENDOR Acme 64999\nBEGIN-VENDOR Acme\nATTRIBUTE Acme-Role 1 integer\nVALUE Acme-Role Admin 1\nEND-VENDOR Acme\n',
  );
  h = await startHarness('admin_api_dictionary', { RADIUS_DICTIONARY_DIR: directory });
});
after(async () => {
  await h.close();
  rmSync(directory, { recursive: true, force: true });
});

test('dictionary: requires the bearer token', async () => {
  const res = await h.call('GET', '/api/v1/radius/dictionary', { authorization: null });
  assert.equal(res.status, 401);
  assert.equal(res.body.error.code, 'unauthorized');
});

test('dictionary: lists the shipped attributes, with vendor, number, type and named values, and those of RADIUS_DICTIONARY_DIR', async () => {
  const res = await h.call('GET', '/api/v1/radius/dictionary');
  assert.equal(res.status, 200);
  const byName = new Map(res.body.attributes.map((a: { name: string }) => [a.name, a]));
  assert.deepEqual(byName.get('Fortinet-Group-Name'), {
    name: 'Fortinet-Group-Name',
    vendor: { name: 'Fortinet', id: 12356 },
    number: 1,
    type: 'string',
    values: [],
    supported: true,
  });
  assert.deepEqual(byName.get('Session-Timeout'), {
    name: 'Session-Timeout',
    vendor: null,
    number: 27,
    type: 'integer',
    values: [],
    supported: true,
  });
  const serviceType = byName.get('Service-Type') as { values: Array<{ name: string; value: number }> };
  assert.ok(serviceType.values.some((v) => v.name === 'Framed-User' && v.value === 2));
  const password = byName.get('User-Password') as { supported: boolean; unsupported: string };
  assert.equal(password.supported, false);
  assert.match(password.unsupported, /encrypt=1/);
  assert.deepEqual(byName.get('Acme-Role'), {
    name: 'Acme-Role',
    vendor: { name: 'Acme', id: 64999 },
    number: 1,
    type: 'integer',
    values: [{ name: 'Admin', value: 1 }],
    supported: true,
  });
  for (const name of ['Cisco-AVPair', 'PaloAlto-User-Group', 'Aruba-User-Role', 'Juniper-Local-User-Name', 'MS-Primary-DNS-Server']) {
    assert.ok(byName.has(name), name);
  }
  assert.ok(res.body.vendors.some((v: { name: string; id: number }) => v.name === 'Microsoft' && v.id === 311));
});

test('dictionary: a dictionary file that does not parse stops start-up, naming its file and line', async () => {
  const bad = mkdtempSync(path.join(tmpdir(), 'tollgate-admin-dict-bad-'));
  try {
    writeFileSync(path.join(bad, 'dictionary.broken'), '# a vendor\nVENDOR Broken\n');
    const base = { logger: createLogger('admin-api', { destination: { write: () => undefined } }) } as unknown as ServiceContext;
    await assert.rejects(
      adminApi.create({ ...base, env: { ADMIN_API_TOKEN: 'x'.repeat(20), RADIUS_DICTIONARY_DIR: bad } }),
      (error: unknown) => error instanceof DictionaryError && error.message.startsWith(`${path.join(bad, 'dictionary.broken')}:2: `),
    );
  } finally {
    rmSync(bad, { recursive: true, force: true });
  }
});
