import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { PgliteDb, enrollmentLinkStatus, enrollmentLinks, migrate, pendingTokens, tokens, users } from './index.js';

// Pending tokens and enrolment links on the embedded database (the same SQL runs on PostgreSQL).
let db: PgliteDb;
const hour = 3_600_000;
before(async () => {
  db = await PgliteDb.open({ dataDir: 'memory://' });
  await migrate(db);
});
after(async () => {
  await db.close();
});

const pending = (upn: string, sessionKey: string, expiresAt = new Date(Date.now() + hour)) => ({
  upn,
  secretSealed: `sealed-pending-${upn}`,
  digits: 6 as const,
  period: 30 as const,
  algorithm: 'SHA1' as const,
  sessionKey,
  expiresAt,
});

describe('pending tokens', () => {
  test('a pending token is invisible to the token reads of the RADIUS path and shows in the user view', async () => {
    await users.create(db, { upn: 'pend@contoso.com' });
    await pendingTokens.put(db, pending('pend@contoso.com', 's1'));
    assert.equal(await tokens.get(db, 'pend@contoso.com'), null);
    assert.equal((await tokens.getMany(db, ['pend@contoso.com'])).get('pend@contoso.com')?.token, null);
    assert.equal((await users.profiles(db, ['pend@contoso.com'])).get('pend@contoso.com')?.digits, null);
    assert.equal((await users.get(db, 'pend@contoso.com'))?.pendingEnrollment, true);
    assert.equal((await pendingTokens.get(db, 'pend@contoso.com'))?.sessionKey, 's1');
  });

  test('activation moves it to totp_tokens with the first code step used, once, for its own session only', async () => {
    await users.create(db, { upn: 'act@contoso.com' });
    await pendingTokens.put(db, pending('act@contoso.com', 'mine'));
    const other = await pendingTokens.activate(db, { upn: 'act@contoso.com', sessionKey: 'theirs', secretSealed: 'x', lastStep: 5 });
    assert.deepEqual(other, { outcome: 'no_pending' });
    const done = await pendingTokens.activate(db, {
      upn: 'act@contoso.com',
      sessionKey: 'mine',
      secretSealed: 'sealed-active',
      lastStep: 1000,
    });
    assert.deepEqual(done, { outcome: 'activated', replaced: false });
    const token = await tokens.get(db, 'act@contoso.com');
    assert.equal(token?.secretSealed, 'sealed-active');
    assert.equal(token?.source, 'generated');
    assert.equal(token?.lastStep, 1000);
    assert.equal(await tokens.claimStep(db, 'act@contoso.com', 1000), false, 'the activation code cannot be replayed');
    assert.equal(await tokens.claimStep(db, 'act@contoso.com', 1001), true);
    assert.equal(await pendingTokens.get(db, 'act@contoso.com'), null);
    assert.equal((await users.get(db, 'act@contoso.com'))?.pendingEnrollment, false);
    const again = await pendingTokens.activate(db, { upn: 'act@contoso.com', sessionKey: 'mine', secretSealed: 'y', lastStep: 2000 });
    assert.deepEqual(again, { outcome: 'no_pending' });
    await pendingTokens.put(db, pending('act@contoso.com', 'second'));
    const replaced = await pendingTokens.activate(db, { upn: 'act@contoso.com', sessionKey: 'second', secretSealed: 'z', lastStep: 3000 });
    assert.deepEqual(replaced, { outcome: 'activated', replaced: true });
  });

  test('an expired pending token is ignored, cannot be activated and is pruned', async () => {
    await users.create(db, { upn: 'old@contoso.com' });
    await pendingTokens.put(db, pending('old@contoso.com', 'k', new Date(Date.now() - 1000)));
    assert.equal(await pendingTokens.get(db, 'old@contoso.com'), null);
    assert.equal((await users.get(db, 'old@contoso.com'))?.pendingEnrollment, false);
    assert.deepEqual(await pendingTokens.activate(db, { upn: 'old@contoso.com', sessionKey: 'k', secretSealed: 'x', lastStep: 1 }), {
      outcome: 'no_pending',
    });
    assert.equal(await pendingTokens.prune(db), 1);
    assert.equal(await tokens.get(db, 'old@contoso.com'), null);
  });

  test('deleting the user deletes the pending token and the links', async () => {
    await users.create(db, { upn: 'gone@contoso.com' });
    await pendingTokens.put(db, pending('gone@contoso.com', 'k'));
    const link = await enrollmentLinks.create(db, {
      id: randomUUID(),
      upn: 'gone@contoso.com',
      tokenSha256: createHash('sha256').update('gone').digest(),
      createdBy: 'admin',
      expiresAt: new Date(Date.now() + hour),
    });
    await users.remove(db, 'gone@contoso.com');
    assert.equal(await pendingTokens.remove(db, 'gone@contoso.com'), false);
    assert.equal(await enrollmentLinks.get(db, link.id), null);
  });
});

describe('enrolment links', () => {
  test('stored by hash, found by hash, listed newest first, revoked once; activation spends the link', async () => {
    await users.create(db, { upn: 'link@contoso.com' });
    const hash = createHash('sha256').update('secret-one').digest();
    const first = await enrollmentLinks.create(db, {
      id: randomUUID(),
      upn: 'link@contoso.com',
      tokenSha256: hash,
      createdBy: 'helpdesk',
      expiresAt: new Date(Date.now() + hour),
    });
    assert.equal((await enrollmentLinks.byHash(db, hash))?.id, first.id);
    assert.ok((await enrollmentLinks.byHash(db, hash))?.tokenSha256.equals(hash));
    assert.equal(await enrollmentLinks.byHash(db, createHash('sha256').update('other').digest()), null);
    const second = await enrollmentLinks.create(db, {
      id: randomUUID(),
      upn: 'link@contoso.com',
      tokenSha256: createHash('sha256').update('secret-two').digest(),
      createdBy: 'helpdesk',
      expiresAt: new Date(Date.now() + hour),
    });
    const listed = await enrollmentLinks.list(db, 'link@contoso.com');
    assert.deepEqual(new Set(listed.map((l) => l.id)), new Set([first.id, second.id]));
    assert.equal(await enrollmentLinks.revoke(db, 'someone@contoso.com', second.id), false, 'another user cannot revoke it');
    assert.equal(await enrollmentLinks.revoke(db, 'link@contoso.com', second.id), true);
    const revokedAt = (await enrollmentLinks.get(db, second.id))?.revokedAt;
    assert.ok(revokedAt);
    await enrollmentLinks.revoke(db, 'link@contoso.com', second.id);
    assert.equal((await enrollmentLinks.get(db, second.id))?.revokedAt?.getTime(), revokedAt.getTime(), 'first revocation time kept');

    await pendingTokens.put(db, pending('link@contoso.com', 'via-revoked'));
    const refused = await pendingTokens.activate(db, {
      upn: 'link@contoso.com',
      sessionKey: 'via-revoked',
      secretSealed: 'x',
      lastStep: 1,
      linkId: second.id,
    });
    assert.deepEqual(refused, { outcome: 'link_spent' });
    assert.equal(await tokens.get(db, 'link@contoso.com'), null, 'nothing activated through a revoked link');
    assert.ok(await pendingTokens.get(db, 'link@contoso.com'), 'the pending token is still there');
    const ok = await pendingTokens.activate(db, {
      upn: 'link@contoso.com',
      sessionKey: 'via-revoked',
      secretSealed: 'x',
      lastStep: 1,
      linkId: first.id,
    });
    assert.deepEqual(ok, { outcome: 'activated', replaced: false });
    assert.ok((await enrollmentLinks.get(db, first.id))?.usedAt);
  });

  test('status: revoked before used before expired before active', () => {
    const now = Date.now();
    const at = new Date(now);
    const future = new Date(now + hour);
    const past = new Date(now - 1);
    const table: Array<[Parameters<typeof enrollmentLinkStatus>[0], string]> = [
      [{ expiresAt: future, usedAt: null, revokedAt: null }, 'active'],
      [{ expiresAt: past, usedAt: null, revokedAt: null }, 'expired'],
      [{ expiresAt: new Date(now), usedAt: null, revokedAt: null }, 'expired'],
      [{ expiresAt: past, usedAt: at, revokedAt: null }, 'used'],
      [{ expiresAt: future, usedAt: at, revokedAt: null }, 'used'],
      [{ expiresAt: future, usedAt: at, revokedAt: at }, 'revoked'],
      [{ expiresAt: past, usedAt: null, revokedAt: at }, 'revoked'],
    ];
    for (const [link, status] of table) assert.equal(enrollmentLinkStatus(link, now), status, JSON.stringify(link));
  });
});
