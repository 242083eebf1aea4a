/**
 * Fallback codes in the admin API: `/api/v1/settings/fallback-codes` (secrets sealed, write-only,
 * validated fields named), the users' email and phone, and the clients' fallbackCodes flag with
 * the warning that these codes are weaker than TOTP.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FALLBACK_SMTP_PASSWORD_CONTEXT, fallbackHeaderContext } from '@tollgate/contracts';
import { settings, users } from '@tollgate/store';
import { startHarness, type Harness } from './testing/admin-api-harness.js';

const SMTP_PASSWORD = 'Smtp-Relay-Secret-991';
const AUTH_HEADER = 'Basic QUMxOnNlY3JldC10b2tlbg==';

describe('admin API: fallback codes', () => {
  let h: Harness;
  let valid: { email: Record<string, unknown>; sms: Record<string, unknown>; maxSendsPerHour: number; codeTtlSeconds: number };

  before(async () => {
    h = await startHarness('adm_fallback');
    valid = {
      email: {
        enabled: true,
        host: 'smtp.example.org',
        port: 587,
        startTls: true,
        username: 'relay',
        password: SMTP_PASSWORD,
        from: 'Tollgate <tollgate@example.org>',
      },
      sms: {
        enabled: true,
        url: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json',
        headers: { Authorization: AUTH_HEADER },
        bodyTemplate: 'To={phone}&From=%2B15005550006&Body=Your sign-in code is {code}',
      },
      maxSendsPerHour: 3,
      codeTtlSeconds: 300,
    };
  });

  after(async () => {
    await h?.close();
  });

  test('GET before any PUT: both channels off, defaults', async () => {
    const res = await h.call('GET', '/api/v1/settings/fallback-codes');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.email.enabled, false);
    assert.equal(res.body.sms.enabled, false);
    assert.equal(res.body.email.hasPassword, false);
    assert.deepEqual(res.body.sms.headers, []);
    assert.equal(res.body.maxSendsPerHour, 3);
    assert.equal(res.body.codeTtlSeconds, 300);
  });

  test('PUT seals the password and headers, never shows them, warns; a PUT without them keeps them', async () => {
    const put = await h.call('PUT', '/api/v1/settings/fallback-codes', { body: valid });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.body.email.hasPassword, true);
    assert.deepEqual(put.body.sms.headers, ['Authorization']);
    assert.match(put.body.warnings[0], /weaker than TOTP/);
    const stored = await settings.get(h.db, 'fallback-codes');
    assert.ok(stored?.email.passwordSealed);
    assert.equal(h.keyring.openText(stored.email.passwordSealed, FALLBACK_SMTP_PASSWORD_CONTEXT), SMTP_PASSWORD);
    assert.equal(h.keyring.openText(stored.sms.headersSealed.Authorization ?? '', fallbackHeaderContext('Authorization')), AUTH_HEADER);
    const kept = await h.call('PUT', '/api/v1/settings/fallback-codes', {
      body: { ...valid, email: { ...valid.email, password: undefined }, sms: { ...valid.sms, headers: { Authorization: null } } },
    });
    assert.equal(kept.status, 200, kept.text);
    assert.equal(kept.body.email.hasPassword, true);
    assert.deepEqual(kept.body.sms.headers, ['Authorization']);
    const again = await settings.get(h.db, 'fallback-codes');
    assert.equal(again?.sms.headersSealed.Authorization, stored.sms.headersSealed.Authorization);
    const removed = await h.call('PUT', '/api/v1/settings/fallback-codes', {
      body: { ...valid, email: { ...valid.email, password: null }, sms: { ...valid.sms, headers: {} } },
    });
    assert.equal(removed.body.email.hasPassword, false);
    assert.deepEqual(removed.body.sms.headers, []);
    for (const text of h.responses) {
      assert.equal(text.includes(SMTP_PASSWORD), false, 'the SMTP password in a response');
      assert.equal(text.includes(AUTH_HEADER), false, 'a header value in a response');
    }
    for (const line of h.logs) assert.equal(line.includes(SMTP_PASSWORD) || line.includes(AUTH_HEADER), false, 'a secret in a log line');
  });

  test('bad settings are 400 naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ ...valid, sms: { ...valid.sms, url: 'http://sms.example.org/send' } }, 'sms.url', /https/],
      [{ ...valid, sms: { ...valid.sms, url: 'https://u:p@sms.example.org/' } }, 'sms.url', /credentials/],
      [{ ...valid, sms: { ...valid.sms, url: 'not a url' } }, 'sms.url', /URL/],
      [{ ...valid, sms: { ...valid.sms, bodyTemplate: 'To={phone}&Body={pin}' } }, 'sms.bodyTemplate', /unknown placeholder \{pin\}/],
      [{ ...valid, sms: { ...valid.sms, bodyTemplate: 'To={phone}' } }, 'sms.bodyTemplate', /\{code\}/],
      [{ ...valid, sms: { ...valid.sms, method: 'DELETE' } }, 'sms.method', /one of/],
      [{ ...valid, sms: { ...valid.sms, headers: { 'Bad Header': 'x' } } }, 'sms.headers.Bad Header', /./],
      [{ ...valid, email: { ...valid.email, port: 70000 } }, 'email.port', /1 to 65535/],
      [{ ...valid, email: { ...valid.email, host: '' } }, 'email.host', /must not be empty/],
      [{ ...valid, email: { ...valid.email, from: 'nobody' } }, 'email.from', /email address/],
      [{ ...valid, email: { ...valid.email, secure: true, startTls: true } }, 'email.startTls', /secure/],
      [{ ...valid, email: { ...valid.email, template: 'Your code' } }, 'email.template', /\{code\}/],
      [{ ...valid, maxSendsPerHour: 0 }, 'maxSendsPerHour', /1 to 20/],
      [{ ...valid, codeTtlSeconds: 10 }, 'codeTtlSeconds', /60 to 900/],
      [{ ...valid, extra: true }, 'extra', /./],
    ];
    for (const [body, field, message] of cases) {
      const res = await h.call('PUT', '/api/v1/settings/fallback-codes', { body });
      assert.equal(res.status, 400, `${field}: ${res.text}`);
      assert.equal(res.body.error.field, field, res.text);
      assert.match(res.body.error.message, message, res.text);
    }
    const insecure = await h.call('PUT', '/api/v1/settings/fallback-codes', {
      body: { ...valid, sms: { ...valid.sms, url: 'http://127.0.0.1:9/send', allowInsecure: true } },
    });
    assert.equal(insecure.status, 200, insecure.text);
  });

  test('users: email and phone on POST, PATCH and GET, validated; null clears', async () => {
    const created = await h.call('POST', '/api/v1/users', {
      body: { username: 'fiona@contoso.com', email: 'fiona@example.org', phone: '+41 79 123 45 67' },
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.email, 'fiona@example.org');
    assert.equal(created.body.phone, '+41791234567');
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ email: 'not-an-address' }, 'email'],
      [{ email: 'a@b' }, 'email'],
      [{ phone: '0791234567' }, 'phone'],
      [{ phone: '+12' }, 'phone'],
      [{ phone: 41791234567 }, 'phone'],
    ];
    for (const [body, field] of cases) {
      const res = await h.call('PATCH', '/api/v1/users/fiona@contoso.com', { body });
      assert.equal(res.status, 400, `${field}: ${res.text}`);
      assert.equal(res.body.error.field, field, res.text);
    }
    const bad = await h.call('POST', '/api/v1/users', { body: { username: 'gus@contoso.com', phone: 'call me' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, 'phone');
    const patched = await h.call('PATCH', '/api/v1/users/fiona@contoso.com', { body: { email: null, phone: '+1 (415) 555-0100' } });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.email, null);
    assert.equal(patched.body.phone, '+14155550100');
    const got = await h.call('GET', '/api/v1/users/fiona@contoso.com');
    assert.equal(got.body.phone, '+14155550100');
    assert.deepEqual(await users.contact(h.db, 'fiona@contoso.com'), {
      upn: 'fiona@contoso.com',
      enabled: true,
      email: null,
      phone: '+14155550100',
    });
  });

  test('radius clients: fallbackCodes off by default; turning it on warns', async () => {
    const plain = await h.call('POST', '/api/v1/radius-clients', {
      body: { name: 'vpn-fb1', address: '10.9.0.1', secret: 'a-long-enough-secret-1', otpMode: 'challenge' },
    });
    assert.equal(plain.status, 201, plain.text);
    assert.equal(plain.body.fallbackCodes, false);
    assert.equal(plain.body.warnings, undefined);
    const on = await h.call('PATCH', `/api/v1/radius-clients/${plain.body.id}`, { body: { fallbackCodes: true } });
    assert.equal(on.status, 200, on.text);
    assert.equal(on.body.fallbackCodes, true);
    assert.match(on.body.warnings[0], /weaker than TOTP/);
    assert.equal((await h.call('GET', `/api/v1/radius-clients/${plain.body.id}`)).body.fallbackCodes, true);
    const bad = await h.call('PATCH', `/api/v1/radius-clients/${plain.body.id}`, { body: { fallbackCodes: 'yes' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, 'fallbackCodes');
    const created = await h.call('POST', '/api/v1/radius-clients', {
      body: { name: 'vpn-fb2', address: '10.9.0.2', secret: 'a-long-enough-secret-2', otpMode: 'auto', fallbackCodes: true },
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.fallbackCodes, true);
    assert.match(created.body.warnings[0], /weaker than TOTP/);
  });
});
