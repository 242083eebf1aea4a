/**
 * One bad name in a batch fails alone, on PostgreSQL and on PGlite: a UPN with a NUL (which the
 * database refuses, SQLSTATE 22021) read or claimed together with good ones leaves every good
 * one its right answer. The contracts refuse such a name before it gets here; this is the layer
 * behind them.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { totpSeedContext } from '@tollgate/contracts';
import { Keyring } from '@tollgate/security';
import { PgliteDb, PostgresDb, migrate, tokens, users, type Db } from '@tollgate/store';
import { countingDb, createTestDatabase } from '@tollgate/testkit';
import { createStepClaimBatcher } from './step-claim-batcher.js';
import { TokenDirectory } from './token-directory.js';

const keyring = new Keyring(Buffer.from(Keyring.generateBase64(), 'base64'));
const BAD = 'mallory\u0000@contoso.com';
const SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

const database = await createTestDatabase('otp_isolation');
const closers: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await database.drop();
});

const engines: Array<[string, () => Promise<Db>]> = [
  ['PostgreSQL', async () => new PostgresDb({ url: database.url, max: 4 })],
  ['PGlite', () => PgliteDb.open({ dataDir: 'memory://' })],
];

for (const [engine, open] of engines) {
  test(`${engine}: a token lookup batch with a NUL name answers every good name rightly`, async () => {
    const inner = await open();
    closers.push(() => inner.close());
    await migrate(inner);
    for (const upn of ['ann@contoso.com', 'ben@contoso.com']) {
      await users.create(inner, { upn });
      await tokens.put(inner, {
        upn,
        secretSealed: keyring.seal(SEED, totpSeedContext(upn)),
        digits: 6,
        period: 30,
        algorithm: 'SHA1',
        source: 'generated',
      });
    }
    await users.create(inner, { upn: 'off@contoso.com', enabled: false });
    const db = countingDb(inner);
    const directory = new TokenDirectory({ db, keyring, ttlMs: 60_000 });
    const names = ['ann@contoso.com', BAD, 'off@contoso.com', 'ghost@contoso.com', 'ben@contoso.com'];
    const results = await Promise.allSettled(names.map((upn) => directory.lookup(upn)));
    const statuses = results.map((r) => (r.status === 'fulfilled' ? r.value.status : `error ${(r.reason as { code?: string }).code}`));
    assert.deepEqual(statuses, ['enrolled', 'error 22021', 'user_disabled', 'unknown_user', 'enrolled']);
    assert.equal(db.sql.length, 1 + names.length, 'the batch, then each name alone');

    // Step claims: the bad claim fails alone, the good ones win (nothing was recorded by the failed batch).
    const claims = createStepClaimBatcher(db);
    const claimed = await Promise.allSettled([
      claims.load({ upn: 'ann@contoso.com', step: 1000, requestKey: 'aaaaaaaaaaaaaaaa' }),
      claims.load({ upn: BAD, step: 1000 }),
      claims.load({ upn: 'ben@contoso.com', step: 1000 }),
      claims.load({ upn: 'ghost@contoso.com', step: 1000 }),
    ]);
    assert.deepEqual(
      claimed.map((r) => (r.status === 'fulfilled' ? r.value : `error ${(r.reason as { code?: string }).code}`)),
      [true, 'error 22021', true, false],
    );
    // And the steps really are used now: a replay of either loses.
    assert.deepEqual(
      await tokens.claimSteps(inner, [
        { upn: 'ann@contoso.com', step: 1000 },
        { upn: 'ben@contoso.com', step: 1000 },
      ]),
      [false, false],
    );
  });
}
