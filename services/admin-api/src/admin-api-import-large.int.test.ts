/**
 * A 50,000-row Azure MFA OATH CSV in one request, against real PostgreSQL: all rows land (codes of
 * sampled seeds verify against what was stored), one bad line deep inside refuses the whole file
 * (or is left out with ?partial=true), and a body over LARGE_CSV_LIMIT is 413. The same import on
 * the embedded database (PGlite) with a smaller file.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { totpSeedContext } from '@tollgate/contracts';
import { tokens, type Db } from '@tollgate/store';
import { oathtoolTotp } from '@tollgate/testkit';
import { generateSeed, verifyTotp } from '@tollgate/totp';
import type { Keyring } from '@tollgate/security';
import { IMPORT_ROWS_PER_STATEMENT } from './token-import-routes.js';
import { startHarness, type Harness } from './testing/admin-api-harness.js';

const HEADER = 'upn,serial number,secret key,time interval,manufacturer,model';
const FULL = 50_000;

interface GeneratedFile {
  csv: string;
  seeds: string[];
  upn: (index: number) => string;
}

/** `count` rows of `prefix<i>@contoso.com`, each with its own random seed; every third row a 60 s token. */
function generateFile(prefix: string, count: number): GeneratedFile {
  const upn = (index: number) => `${prefix}${index}@contoso.com`;
  const seeds = Array.from({ length: count }, () => generateSeed(20));
  const lines = seeds.map((seed, i) => `${upn(i)},SN${String(i).padStart(8, '0')},${seed},${i % 3 === 0 ? 60 : 30},Contoso,HardwareKey`);
  return { csv: `${HEADER}\r\n${lines.join('\r\n')}\r\n`, seeds, upn };
}

async function countTokens(db: Db, prefix: string): Promise<number> {
  const { rows } = await db.query<{ n: string | number }>(`SELECT count(*) AS n FROM totp_tokens WHERE upn LIKE $1`, [`${prefix}%`]);
  return Number(rows[0]!.n);
}

/** The stored token of row `index` opens to its seed, and an independent generator's current code verifies against it. */
async function assertTokenWorks(db: Db, keyring: Keyring, file: GeneratedFile, index: number): Promise<void> {
  const upn = file.upn(index);
  const stored = await tokens.get(db, upn);
  assert.ok(stored, `${upn} has a token`);
  assert.equal(stored.source, 'hardware');
  assert.equal(stored.serial, `SN${String(index).padStart(8, '0')}`);
  assert.equal(stored.period, index % 3 === 0 ? 60 : 30);
  const seed = keyring.openText(stored.secretSealed, totpSeedContext(upn));
  const nowMs = Date.now();
  const code = await oathtoolTotp({ base32Secret: file.seeds[index]!, period: stored.period, atMs: nowMs });
  const result = verifyTotp({ secret: seed, code, digits: 6, period: stored.period, algorithm: 'SHA1', nowMs });
  assert.equal(result.valid, true, `the code of ${upn}'s seed verifies`);
}

describe('token import of 50,000 rows (PostgreSQL)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness('admin_import_large');
  });
  after(() => h.close());

  test('imports every row in one request; sampled tokens give verifying codes', async (t) => {
    const file = generateFile('bulk', FULL);
    t.diagnostic(`CSV of ${FULL} rows: ${(file.csv.length / 1024 / 1024).toFixed(1)} MB`);
    const started = performance.now();
    const res = await h.call('POST', '/api/v1/tokens/import', { raw: file.csv });
    t.diagnostic(`import took ${Math.round(performance.now() - started)} ms`);
    assert.equal(res.status, 200, res.text.slice(0, 300));
    assert.deepEqual(res.body, { imported: FULL, errors: [] });
    assert.equal(await countTokens(h.db, 'bulk'), FULL);
    for (const index of [0, 1, IMPORT_ROWS_PER_STATEMENT - 1, IMPORT_ROWS_PER_STATEMENT, 31_337, FULL - 1]) {
      await assertTokenWorks(h.db, h.keyring, file, index);
    }
    await h.waitForEvent((e) => e.kind === 'all');
  });

  test('re-importing a file replaces tokens and creates no user twice', async () => {
    const file = generateFile('bulk', 3 * IMPORT_ROWS_PER_STATEMENT + 1);
    const res = await h.call('POST', '/api/v1/tokens/import', { raw: file.csv });
    assert.equal(res.status, 200, res.text.slice(0, 300));
    assert.equal(await countTokens(h.db, 'bulk'), FULL);
    await assertTokenWorks(h.db, h.keyring, file, 3 * IMPORT_ROWS_PER_STATEMENT);
    const audit = h.logs.filter((l) => l.includes('"action":"tokens.import"')).at(-1)!;
    assert.match(audit, /"usersCreated":0/);
  });

  test('one bad line deep in a 50,000-row file: its line is reported and nothing is imported', async () => {
    const file = generateFile('deep', FULL);
    const lines = file.csv.split('\r\n');
    const badLine = 41_234; // line numbers count the header as line 1
    lines[badLine - 1] = lines[badLine - 1]!.replace(file.seeds[badLine - 2]!, 'NOT-BASE32-8888');
    const csv = lines.join('\r\n');
    const refused = await h.call('POST', '/api/v1/tokens/import', { raw: csv });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.imported, 0);
    assert.equal(refused.body.error.code, 'invalid_rows');
    assert.deepEqual(refused.body.errors, [
      { line: badLine, field: 'secret key', message: 'must be Base32 (letters A-Z and digits 2-7 only)' },
    ]);
    assert.equal(await countTokens(h.db, 'deep'), 0, 'nothing written');

    const partial = await h.call('POST', '/api/v1/tokens/import?partial=true', { raw: csv });
    assert.equal(partial.status, 200);
    assert.equal(partial.body.imported, FULL - 1);
    assert.deepEqual(
      partial.body.errors.map((e: { line: number }) => e.line),
      [badLine],
    );
    assert.equal(await countTokens(h.db, 'deep'), FULL - 1);
    assert.equal(await tokens.get(h.db, file.upn(badLine - 2)), null, 'the bad row is left out');
    await assertTokenWorks(h.db, h.keyring, file, badLine - 1);
  });

  test('a failure while writing rolls the whole file back', async () => {
    // A check added for this test makes PostgreSQL refuse the third statement of the file.
    const file = generateFile('undo', 3 * IMPORT_ROWS_PER_STATEMENT);
    await h.db.exec(
      `ALTER TABLE totp_tokens ADD CONSTRAINT test_refuse_one CHECK (upn <> 'undo${2 * IMPORT_ROWS_PER_STATEMENT + 5}@contoso.com')`,
    );
    try {
      const res = await h.call('POST', '/api/v1/tokens/import', { raw: file.csv });
      assert.equal(res.status, 500);
      assert.equal(await countTokens(h.db, 'undo'), 0, 'the statements before the refused one are rolled back');
      const { rows } = await h.db.query<{ n: string }>(`SELECT count(*) AS n FROM users WHERE upn LIKE 'undo%'`);
      assert.equal(Number(rows[0]!.n), 0, 'and so are the users they created');
    } finally {
      await h.db.exec(`ALTER TABLE totp_tokens DROP CONSTRAINT test_refuse_one`);
    }
  });

  test('a body over 16 MB is refused with 413 before it is parsed', async () => {
    const row = `x@contoso.com,1,${generateSeed(20)},30,Contoso,HardwareKey\n`;
    const big = `${HEADER}\n${row.repeat(Math.ceil((16 * 1024 * 1024) / row.length) + 10)}`;
    const res = await h.call('POST', '/api/v1/tokens/import', { raw: big });
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, 'payload_too_large');
  });
});

describe('token import on the embedded database (PGlite)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness('admin_import_pglite', {}, { embedded: true });
  });
  after(() => h.close());

  test('a file of several statements lands whole, and a bad line refuses it whole', async (t) => {
    const count = 2 * IMPORT_ROWS_PER_STATEMENT + 500;
    const file = generateFile('lite', count);
    const started = performance.now();
    const res = await h.call('POST', '/api/v1/tokens/import', { raw: file.csv });
    t.diagnostic(`PGlite import of ${count} rows took ${Math.round(performance.now() - started)} ms`);
    assert.equal(res.status, 200, res.text.slice(0, 300));
    assert.equal(res.body.imported, count);
    assert.equal(await countTokens(h.db, 'lite'), count);
    for (const index of [0, IMPORT_ROWS_PER_STATEMENT, count - 1]) await assertTokenWorks(h.db, h.keyring, file, index);

    const other = generateFile('bad', count);
    const lines = other.csv.split('\r\n');
    lines[count - 10] = lines[count - 10]!.replace(',30,', ',90,').replace(',60,', ',90,');
    const refused = await h.call('POST', '/api/v1/tokens/import', { raw: lines.join('\r\n') });
    assert.equal(refused.status, 400);
    assert.deepEqual(
      refused.body.errors.map((e: { line: number; field: string }) => [e.line, e.field]),
      [[count - 9, 'time interval']],
    );
    assert.equal(await countTokens(h.db, 'bad'), 0);
  });
});
