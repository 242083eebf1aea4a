import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_FALLBACK_CODES } from '@tollgate/store';
import { FallbackCodesInput } from './fallback-codes-input.js';
import { applyFallbackInput, fallbackCodesView } from './fallback-codes-routes.js';

const off = { email: { enabled: false, host: '', from: '' }, sms: { enabled: false, url: '' } };
const sms = { enabled: true, url: 'https://sms.example.org/send', bodyTemplate: 'to={phone}&text={code}' };
const email = { enabled: true, host: 'smtp.example.org', from: 'tollgate@example.org' };

/** [name, body, the path zod names first (or null: accepted)] */
const cases: Array<[string, unknown, string | null]> = [
  ['both off, nothing else', off, null],
  ['email on', { ...off, email }, null],
  ['email from with a display name', { ...off, email: { ...email, from: 'Tollgate <t@example.org>' } }, null],
  ['email on without host', { ...off, email: { ...email, host: '' } }, 'email.host'],
  ['email from not an address', { ...off, email: { ...email, from: 'tollgate' } }, 'email.from'],
  ['secure with startTls', { ...off, email: { ...email, secure: true, startTls: true } }, 'email.startTls'],
  ['secure without startTls', { ...off, email: { ...email, secure: true, startTls: false, port: 465 } }, null],
  ['template without {code}', { ...off, email: { ...email, template: 'hello {user}' } }, 'email.template'],
  ['subject with an unknown placeholder', { ...off, email: { ...email, subject: 'code {pin}' } }, 'email.subject'],
  ['sms on', { ...off, sms }, null],
  ['sms over http', { ...off, sms: { ...sms, url: 'http://sms.example.org/' } }, 'sms.url'],
  ['sms over http, allowed', { ...off, sms: { ...sms, url: 'http://sms.example.org/', allowInsecure: true } }, null],
  ['sms url with credentials', { ...off, sms: { ...sms, url: 'https://a:b@sms.example.org/' } }, 'sms.url'],
  ['sms body with {minutes}', { ...off, sms: { ...sms, bodyTemplate: '{code} {minutes}' } }, 'sms.bodyTemplate'],
  [
    'sms json content type',
    { ...off, sms: { ...sms, contentType: 'application/json', bodyTemplate: '{"to":"{phone}","text":"{code}"}' } },
    null,
  ],
  ['sms header value with a newline', { ...off, sms: { ...sms, headers: { 'X-Key': 'a\nb' } } }, 'sms.headers.X-Key'],
  ['limit above 20', { ...off, maxSendsPerHour: 21 }, 'maxSendsPerHour'],
  ['ttl below 60', { ...off, codeTtlSeconds: 59 }, 'codeTtlSeconds'],
  ['unknown field', { ...off, other: 1 }, ''],
];

for (const [name, body, path] of cases) {
  test(`FallbackCodesInput: ${name} → ${path ?? 'accepted'}`, () => {
    const parsed = FallbackCodesInput.safeParse(body);
    if (path === null) assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
    else {
      assert.equal(parsed.success, false);
      assert.equal(parsed.error?.issues[0]?.path.join('.'), path, JSON.stringify(parsed.error?.issues));
    }
  });
}

const seal = (text: string, context: string) => `sealed(${context}|${text.length})`;

test('applyFallbackInput seals secrets, keeps left-out ones, removes null ones; the view never shows them', () => {
  const first = applyFallbackInput(
    DEFAULT_FALLBACK_CODES,
    FallbackCodesInput.parse({
      ...off,
      email: { ...email, username: 'u', password: 'pw' },
      sms: { ...sms, headers: { Authorization: 'tok' } },
    }),
    seal,
  );
  assert.equal(first.email.passwordSealed, 'sealed(settings:fallback-codes:smtp|2)');
  assert.deepEqual(first.sms.headersSealed, { Authorization: 'sealed(settings:fallback-codes:header:authorization|3)' });
  const kept = applyFallbackInput(
    first,
    FallbackCodesInput.parse({ ...off, email, sms: { ...sms, headers: { authorization: null } } }),
    seal,
  );
  assert.equal(kept.email.passwordSealed, first.email.passwordSealed);
  assert.equal(kept.email.username, 'u');
  assert.deepEqual(kept.sms.headersSealed, { authorization: first.sms.headersSealed.Authorization });
  const removed = applyFallbackInput(
    kept,
    FallbackCodesInput.parse({ ...off, email: { ...email, password: null, username: null }, sms: { ...sms, headers: {} } }),
    seal,
  );
  assert.equal(removed.email.passwordSealed, undefined);
  assert.equal(removed.email.username, undefined);
  assert.deepEqual(removed.sms.headersSealed, {});
  const view = JSON.stringify(fallbackCodesView(first));
  assert.equal(view.includes('sealed('), false);
  assert.match(view, /"hasPassword":true/);
  assert.match(view, /"headers":\["Authorization"\]/);
});
