/** Integration tests of the Azure MFA OATH token CSV import against real PostgreSQL. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tokens, users } from '@tollgate/store';
import { leaks, startHarness, type Harness } from './testing/admin-api-harness.js';

const SEEDS = ['2234567ABCDEF2234567ABCDEF', 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U'];
const HEADER = 'UPN,Serial Number,Secret Key,Time Interval,Manufacturer,Model';
let h: Harness;

before(async () => {
  h = await startHarness('admin_import');
  await h.call('PUT', '/api/v1/settings/entra', {
    body: { enabled: true, tenantId: 'organizations', clientId: '00001111-aaaa-2222-bbbb-3333cccc4444', domain: 'contoso.com' },
  });
  // An existing user keeps its record (and display name); only the token is set.
  assert.equal((await h.call('POST', '/api/v1/users', { body: { username: 'helga', displayName: 'Helga' } })).status, 201);
});
after(async () => {
  await h.close();
});

test('imports good rows: creates missing users and sets their hardware tokens', async () => {
  h.events.length = 0;
  const csv = `\uFEFF${HEADER}\r\nHelga@contoso.com,1234567,${SEEDS[0]!.toLowerCase()},60,Contoso,HardwareKey\r\n"ivan","7654321","${SEEDS[1]}","30","Maker, Inc.",""\r\n`;
  const res = await h.call('POST', '/api/v1/tokens/import', { raw: csv });
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { imported: 2, errors: [] });

  const helga = (await users.get(h.db, 'helga@contoso.com'))!;
  assert.equal(helga.displayName, 'Helga');
  assert.deepEqual(
    { ...helga.token, createdAt: undefined },
    {
      digits: 6,
      period: 60,
      algorithm: 'SHA1',
      source: 'hardware',
      serial: '1234567',
      manufacturer: 'Contoso',
      model: 'HardwareKey',
      createdAt: undefined,
    },
  );
  const ivan = (await tokens.get(h.db, 'ivan@contoso.com'))!;
  assert.equal(ivan.userEnabled, true, 'a missing user is created, enabled');
  assert.equal(ivan.manufacturer, 'Maker, Inc.');
  assert.equal(ivan.model, null);
  assert.ok(!ivan.secretSealed.includes(SEEDS[1]!));
  assert.equal(h.keyring.openText(ivan.secretSealed, 'totp:ivan@contoso.com'), SEEDS[1]);
  assert.equal(h.keyring.openText((await tokens.get(h.db, 'helga@contoso.com'))!.secretSealed, 'totp:helga@contoso.com'), SEEDS[0]);
  await h.waitForEvent((e) => e.kind === 'users' && e.key === 'ivan@contoso.com');
  await h.waitForEvent((e) => e.kind === 'users' && e.key === 'helga@contoso.com');
  assert.ok(h.logs.some((l) => l.includes('"action":"tokens.import"') && l.includes('"imported":2')));
});

test('a file with bad rows imports nothing, and names each bad row by line and field', async () => {
  const csv = [
    'secret key,upn,time interval,serial number',
    `${SEEDS[2]},judy,30,S1`, // 2: good
    `NOT-BASE32-8888,kate,30,S2`, // 3: bad seed
    `${SEEDS[2]},"le o",30,S3`, // 4: bad upn
    `${SEEDS[2]},mallory,90,S4`, // 5: bad interval
    `${SEEDS[2]},Judy@Contoso.com,30,S6`, // 6: judy again (line 2), in another spelling
  ].join('\n');
  const res = await h.call('POST', '/api/v1/tokens/import', { raw: csv, contentType: 'text/csv; charset=utf-8' });
  assert.equal(res.status, 400);
  assert.equal(res.body.imported, 0);
  assert.equal(res.body.error.code, 'invalid_rows');
  assert.deepEqual(
    res.body.errors.map((e: { line: number; field: string }) => [e.line, e.field]),
    [
      [3, 'secret key'],
      [4, 'upn'],
      [5, 'time interval'],
      [6, 'upn'],
    ],
  );
  assert.match(res.body.errors[3].message, /first on line 2/);
  assert.equal(await users.get(h.db, 'judy@contoso.com'), null, 'nothing written');

  const partial = await h.call('POST', '/api/v1/tokens/import?partial=true', { raw: csv });
  assert.equal(partial.status, 200);
  assert.equal(partial.body.imported, 1);
  assert.deepEqual(
    partial.body.errors.map((e: { line: number }) => e.line),
    [3, 4, 5, 6],
  );
  assert.equal((await tokens.get(h.db, 'judy@contoso.com'))!.serial, 'S1');
  assert.equal(await users.get(h.db, 'kate@contoso.com'), null);
  assert.deepEqual(leaks(h, 'NOT-BASE32-8888'), [], 'a bad secret is not echoed either');
});

test('an unreadable file is refused as a whole', async () => {
  const noColumn = await h.call('POST', '/api/v1/tokens/import?partial=true', {
    raw: 'upn,serial number,time interval\nx@contoso.com,1,30\n',
  });
  assert.equal(noColumn.status, 400);
  assert.deepEqual(noColumn.body.errors, [{ line: 1, field: 'header', message: 'missing column(s): secret key' }]);
  const unclosed = await h.call('POST', '/api/v1/tokens/import?partial=true', { raw: `${HEADER}\nx@contoso.com,"1,${SEEDS[0]},30,,\n` });
  assert.equal(unclosed.status, 400);
  assert.equal(unclosed.body.errors[0].line, 2);
  assert.equal((await h.call('POST', '/api/v1/tokens/import', { raw: '' })).status, 400);
  const headerOnly = await h.call('POST', '/api/v1/tokens/import?partial=true', { raw: `${HEADER}\n` });
  assert.equal(headerOnly.status, 400);
  assert.deepEqual(
    headerOnly.body.errors.map((e: { line: number; field: string }) => [e.line, e.field]),
    [[1, 'csv']],
  );
  const noInterval = await h.call('POST', '/api/v1/tokens/import?partial=true', {
    raw: `upn,serial number,secret key\nx@contoso.com,1,${SEEDS[0]}\n`,
  });
  assert.equal(noInterval.status, 400);
  assert.deepEqual(noInterval.body.errors, [{ line: 1, field: 'header', message: 'missing column(s): time interval' }]);
  const json = await h.call('POST', '/api/v1/tokens/import', { body: { rows: [] } });
  assert.equal(json.status, 415);
  const badQuery = await h.call('POST', '/api/v1/tokens/import?partial=yes', { raw: `${HEADER}\n` });
  assert.equal(badQuery.status, 400);
  assert.equal(badQuery.body.error.field, 'partial');
});

test('a CSV body above the JSON limit and near 1 MB is read and checked in full', async () => {
  const rows = (count: number, seed: string) => Array.from({ length: count }, (_, i) => `user${i}@contoso.com,${i},${seed},30,Contoso,K`);
  const valid = rows(1500, SEEDS[2]!); // ~90 KB: above the 64 KB JSON limit
  const res = await h.call('POST', '/api/v1/tokens/import', { raw: `${HEADER}\n${valid.join('\n')}\n` });
  assert.equal(res.status, 200);
  assert.equal(res.body.imported, 1500);
  assert.equal((await tokens.get(h.db, 'user1499@contoso.com'))!.serial, '1499');
  assert.ok(await h.waitForEvent((e) => e.kind === 'all'), 'a large import announces one event for all users');

  // ~1000 KB, every row with a bad seed: read and checked in full (400 listing the rows), not refused as too large.
  const invalid = rows(20_000, 'BADSEED1');
  const nearLimit = `${HEADER}\n${invalid.join('\n')}\n`;
  assert.ok(nearLimit.length > 900 * 1024 && nearLimit.length < 1024 * 1024);
  const read = await h.call('POST', '/api/v1/tokens/import', { raw: nearLimit });
  assert.equal(read.status, 400);
  assert.equal(read.body.errors.length, 20_000);
  assert.deepEqual(read.body.errors[19_999], {
    line: 20_001,
    field: 'secret key',
    message: 'must be Base32 (letters A-Z and digits 2-7 only)',
  });
  // Larger files (50,000 rows) and the 413 above 16 MB: admin-api-import-large.int.test.ts.
});

test('no seed reached a log line or a response', () => {
  for (const seed of SEEDS) {
    assert.deepEqual(leaks(h, seed), [], seed);
    assert.deepEqual(leaks(h, seed.toLowerCase()), [], seed);
  }
});
