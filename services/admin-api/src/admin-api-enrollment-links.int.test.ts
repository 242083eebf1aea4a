/**
 * The enrolment portal's admin side over HTTP: `/api/v1/settings/portal` (validated fields named,
 * the client secret sealed and never shown) and a user's enrolment links (the URL shown once,
 * only its SHA-256 stored, listed with a status, revoked, mailed through the fallback-code SMTP
 * server to testkit's receiver), each change audited.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { PORTAL_CLIENT_SECRET_CONTEXT } from '@tollgate/contracts';
import { adminAudit, enrollmentLinks, pendingTokens, settings, users, withFallbackDefaults, withPortalDefaults } from '@tollgate/store';
import { SmtpReceiver } from '@tollgate/testkit';
import { leaks, startHarness, type Harness } from './testing/admin-api-harness.js';

const CLIENT_SECRET = 'Portal-App-Secret~0123456789';
const PNG = `data:image/png;base64,${Buffer.from('\x89PNG\r\n\x1a\nsmall').toString('base64')}`;

const validPortal = {
  oidcEnabled: false,
  linksEnabled: true,
  publicUrl: 'https://enrol.contoso.com/',
  organisationName: 'Contoso',
  logo: PNG,
  allowReplace: false,
  linkTtlHours: 48,
  mfaContext: 'c3',
  clientId: '0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D',
  clientSecret: CLIENT_SECRET,
  email: { enabled: true, subject: 'Enrol at {organisation}', template: 'Hi {user}, open {url} within {hours} hours ({organisation}).' },
};

async function auditActions(h: Harness): Promise<string[]> {
  const { rows } = await h.db.query<{ action: string }>('SELECT action FROM admin_audit_log ORDER BY id');
  return rows.map((r) => r.action);
}

describe('admin API: portal settings', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness('adm_portal_settings');
  });
  after(async () => {
    await h?.close();
  });

  test('GET before any PUT: the defaults, both ways off, no secret', async () => {
    const res = await h.call('GET', '/api/v1/settings/portal');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.oidcEnabled, false);
    assert.equal(res.body.linksEnabled, false);
    assert.equal(res.body.publicUrl, '');
    assert.equal(res.body.organisationName, 'Tollgate');
    assert.equal(res.body.linkTtlHours, 72);
    assert.equal(res.body.mfaContext, 'c1');
    assert.equal(res.body.clientSecretSet, false);
    assert.equal(res.body.email.subject, 'Set up your sign-in code');
    assert.match(res.body.email.template, /\{url\}/);
  });

  test('PUT seals the client secret, never shows it, keeps it when left out, removes it with null; audited', async () => {
    const put = await h.call('PUT', '/api/v1/settings/portal', { body: validPortal });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.body.clientSecretSet, true);
    assert.equal(put.body.publicUrl, 'https://enrol.contoso.com', 'trailing slash dropped');
    assert.equal(put.body.clientId, '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
    assert.equal(put.body.logo, PNG);
    const stored = await settings.get(h.db, 'portal');
    assert.ok(stored?.clientSecretSealed);
    assert.equal(h.keyring.openText(stored.clientSecretSealed, PORTAL_CLIENT_SECRET_CONTEXT), CLIENT_SECRET);
    const { clientSecret: _omit, ...withoutSecret } = validPortal;
    const kept = await h.call('PUT', '/api/v1/settings/portal', { body: withoutSecret });
    assert.equal(kept.body.clientSecretSet, true);
    assert.equal((await settings.get(h.db, 'portal'))?.clientSecretSealed, stored.clientSecretSealed);
    const removed = await h.call('PUT', '/api/v1/settings/portal', { body: { ...validPortal, clientSecret: null } });
    assert.equal(removed.body.clientSecretSet, false);
    assert.deepEqual(leaks(h, CLIENT_SECRET), []);
    const audit = await adminAudit.list(h.db, { limit: 10 });
    const saved = audit.find((a) => a.action === 'settings.portal.update');
    assert.ok(saved);
    assert.doesNotMatch(JSON.stringify(audit), new RegExp(CLIENT_SECRET));
    assert.doesNotMatch(JSON.stringify(saved.details), /base64/, 'the logo itself is not in the audit record');
  });

  test('a bad field is refused with 400 naming it', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ publicUrl: 'http://enrol.contoso.com' }, 'publicUrl'],
      [{ publicUrl: 'not a url' }, 'publicUrl'],
      [{ publicUrl: 'https://enrol.contoso.com/?x=1' }, 'publicUrl'],
      [{ publicUrl: '' }, 'publicUrl'],
      [{ logo: 'data:image/gif;base64,R0lGODlh' }, 'logo'],
      [{ logo: `data:image/png;base64,${Buffer.alloc(101 * 1024).toString('base64')}` }, 'logo'],
      [{ mfaContext: 'c100' }, 'mfaContext'],
      [{ mfaContext: 'c0' }, 'mfaContext'],
      [{ linkTtlHours: 721 }, 'linkTtlHours'],
      [{ clientId: 'portal' }, 'clientId'],
      [{ oidcEnabled: true, clientId: '' }, 'clientId'],
      [{ email: { enabled: true, template: 'Open {link}' } }, 'email.template'],
      [{ email: { enabled: true, template: 'No link here' } }, 'email.template'],
      [{ email: { enabled: true, subject: 'Your {url}' } }, 'email.subject'],
    ];
    for (const [change, field] of cases) {
      const res = await h.call('PUT', '/api/v1/settings/portal', { body: { ...validPortal, ...change } });
      assert.equal(res.status, 400, `${JSON.stringify(change).slice(0, 80)}: ${res.text}`);
      assert.equal(res.body.error.field, field, res.text);
    }
    const loopback = await h.call('PUT', '/api/v1/settings/portal', { body: { ...validPortal, publicUrl: 'http://127.0.0.1:8443' } });
    assert.equal(loopback.status, 200, 'http on a loopback host is allowed (tests)');
    const svg = await h.call('PUT', '/api/v1/settings/portal', {
      body: { ...validPortal, logo: `data:image/svg+xml;base64,${Buffer.from('<svg/>').toString('base64')}` },
    });
    assert.equal(svg.status, 200, svg.text);
    const big = await h.call('PUT', '/api/v1/settings/portal', {
      body: { ...validPortal, logo: `data:image/jpeg;base64,${Buffer.alloc(99 * 1024).toString('base64')}` },
    });
    assert.equal(big.status, 200, 'a logo just under 100 kB fits the body limit');
  });
});

describe('admin API: enrolment links', () => {
  let h: Harness;
  let smtp: SmtpReceiver;
  const UPN = 'erin@contoso.com';

  before(async () => {
    h = await startHarness('adm_enrol_links');
    smtp = await new SmtpReceiver().start();
    await users.create(h.db, { upn: UPN, displayName: 'Erin', email: 'erin@mail.contoso.com' });
    await users.create(h.db, { upn: 'noaddress@contoso.com' });
  });
  after(async () => {
    await h?.close();
    await smtp?.stop();
  });

  test('refused while links are off or no publicUrl is set, naming the setting; 404 for an unknown user', async () => {
    const off = await h.call('POST', `/api/v1/users/${UPN}/enrollment-links`, { body: {} });
    assert.equal(off.status, 400, off.text);
    assert.equal(off.body.error.field, 'linksEnabled');
    await settings.put(h.db, 'portal', withPortalDefaults({ linksEnabled: true, publicUrl: '' }));
    const noUrl = await h.call('POST', `/api/v1/users/${UPN}/enrollment-links`, { body: {} });
    assert.equal(noUrl.status, 400, noUrl.text);
    assert.equal(noUrl.body.error.field, 'publicUrl');
    const unknown = await h.call('POST', '/api/v1/users/nobody@contoso.com/enrollment-links', { body: {} });
    assert.equal(unknown.status, 404, unknown.text);
    const badTtl = await h.call('POST', `/api/v1/users/${UPN}/enrollment-links`, { body: { ttlHours: 0 } });
    assert.equal(badTtl.status, 400);
    assert.equal(badTtl.body.error.field, 'ttlHours');
  });

  test('a link: URL once, only its hash stored, listed with status (never the URL), revoked; audited', async () => {
    const put = await h.call('PUT', '/api/v1/settings/portal', { body: { ...validPortal, email: { enabled: false } } });
    assert.equal(put.status, 200, put.text);
    const created = await h.call('POST', `/api/v1/users/${UPN}/enrollment-links`, { body: { ttlHours: 5 } });
    assert.equal(created.status, 201, created.text);
    const match = /^https:\/\/enrol\.contoso\.com\/l\/([A-Za-z0-9_-]{43})$/.exec(created.body.url);
    assert.ok(match, created.body.url);
    const token = match[1]!;
    assert.equal(created.body.emailed, false);
    assert.equal(created.body.emailProblem, undefined, 'no email asked, no problem');
    const expires = new Date(created.body.expiresAt).getTime();
    assert.ok(Math.abs(expires - (Date.now() + 5 * 3_600_000)) < 60_000);
    const stored = await enrollmentLinks.byHash(h.db, createHash('sha256').update(token).digest());
    assert.equal(stored?.id, created.body.id);
    assert.equal(stored?.createdBy, 'bootstrap');
    const { rows } = await h.db.query('SELECT * FROM enrollment_links');
    assert.doesNotMatch(JSON.stringify(rows), new RegExp(token), 'the secret itself is nowhere in the table');

    const second = await h.call('POST', `/api/v1/users/${UPN}/enrollment-links`, { body: {} });
    assert.equal(second.status, 201);
    assert.ok(Math.abs(new Date(second.body.expiresAt).getTime() - (Date.now() + 48 * 3_600_000)) < 60_000, 'default TTL from settings');
    const list = await h.call('GET', `/api/v1/users/${UPN}/enrollment-links`);
    assert.equal(list.status, 200);
    assert.equal(list.body.items.length, 2);
    assert.deepEqual(
      list.body.items.map((i: { status: string }) => i.status),
      ['active', 'active'],
      'a new link revokes no older one',
    );
    assert.doesNotMatch(list.text, new RegExp(token));
    assert.doesNotMatch(list.text, /\/l\//);
    for (const field of ['id', 'createdAt', 'createdBy', 'expiresAt', 'usedAt', 'revokedAt', 'status'])
      assert.ok(field in list.body.items[0], field);

    const revoked = await h.call('DELETE', `/api/v1/users/${UPN}/enrollment-links/${created.body.id}`);
    assert.equal(revoked.status, 204);
    const after = await h.call('GET', `/api/v1/users/${UPN}/enrollment-links`);
    assert.equal(after.body.items.find((i: { id: string }) => i.id === created.body.id).status, 'revoked');
    assert.equal((await h.call('DELETE', `/api/v1/users/${UPN}/enrollment-links/00000000-0000-4000-8000-000000000000`)).status, 404);
    assert.equal((await h.call('DELETE', `/api/v1/users/${UPN}/enrollment-links/not-a-uuid`)).status, 404);
    assert.equal(
      (await h.call('DELETE', `/api/v1/users/noaddress@contoso.com/enrollment-links/${second.body.id}`)).status,
      404,
      "another user's link",
    );
    const actions = await auditActions(h);
    assert.ok(actions.includes('user.enrollment_link.create'));
    assert.ok(actions.includes('user.enrollment_link.revoke'));
    assert.deepEqual(leaks(h, token, [created.text]), [], 'the secret is in the creation answer only');
    const audit = await adminAudit.list(h.db, { limit: 50 });
    assert.doesNotMatch(JSON.stringify(audit), new RegExp(token));
  });

  test('emailed through the fallback-code SMTP server; no_address and email_disabled say why not', async () => {
    await settings.put(h.db, 'fallback-codes', {
      ...withFallbackDefaults(null),
      email: {
        ...withFallbackDefaults(null).email,
        enabled: false,
        host: '127.0.0.1',
        port: smtp.port,
        startTls: false,
        from: 'tollgate@contoso.com',
      },
    });
    const disabled = await h.call('POST', `/api/v1/users/${UPN}/enrollment-links`, { body: { sendEmail: true } });
    assert.equal(disabled.status, 201);
    assert.equal(disabled.body.emailed, false);
    assert.equal(disabled.body.emailProblem, 'email_disabled');
    const put = await h.call('PUT', '/api/v1/settings/portal', { body: validPortal });
    assert.equal(put.status, 200, put.text);
    const before = smtp.messages.length;
    const sent = await h.call('POST', `/api/v1/users/${UPN}/enrollment-links`, { body: { sendEmail: true, ttlHours: 24 } });
    assert.equal(sent.status, 201, sent.text);
    assert.equal(sent.body.emailed, true, sent.text);
    const mail = await smtp.waitFor(before);
    assert.deepEqual(mail.to, ['erin@mail.contoso.com']);
    assert.equal(mail.from, 'tollgate@contoso.com');
    assert.match(mail.raw, /Subject: Enrol at Contoso/);
    assert.ok(mail.raw.replace(/=\r?\n/g, '').includes(sent.body.url), 'the link is in the body');
    assert.match(mail.raw, /within 24 hours/);
    const noAddress = await h.call('POST', '/api/v1/users/noaddress@contoso.com/enrollment-links', { body: { sendEmail: true } });
    assert.equal(noAddress.status, 201);
    assert.equal(noAddress.body.emailProblem, 'no_address');
    await smtp.stop();
    const failed = await h.call('POST', `/api/v1/users/${UPN}/enrollment-links`, { body: { sendEmail: true } });
    assert.equal(failed.status, 201, failed.text);
    assert.equal(failed.body.emailProblem, 'send_failed');
    smtp = await new SmtpReceiver().start();
    const token = /\/l\/(.+)$/.exec(sent.body.url)![1]!;
    assert.deepEqual(leaks(h, token, [sent.text]), []);
  });

  test('the user view shows a pending enrolment', async () => {
    assert.equal((await h.call('GET', `/api/v1/users/${UPN}`)).body.pendingEnrollment, false);
    await pendingTokens.put(h.db, {
      upn: UPN,
      secretSealed: 'sealed',
      digits: 6,
      period: 30,
      algorithm: 'SHA1',
      sessionKey: 'k',
      expiresAt: new Date(Date.now() + 60_000),
    });
    assert.equal((await h.call('GET', `/api/v1/users/${UPN}`)).body.pendingEnrollment, true);
    const list = await h.call('GET', '/api/v1/users');
    assert.equal(list.body.users.find((u: { upn: string }) => u.upn === UPN).pendingEnrollment, true);
  });
});
