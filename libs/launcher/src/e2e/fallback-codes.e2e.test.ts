/**
 * Fallback codes end to end: every service in its own process on the real NATS, PostgreSQL and
 * Redis, `radclient` as a NAS in otpMode `challenge`, a real SMTP server and a local HTTP
 * receiver standing in for an SMS gateway. The password is challenged, `email` (or `sms`) sends a
 * code, the code read from the mail (or the webhook's body) is accepted as `ok.fallback`; the same
 * code in a new dialogue is refused; a client without fallbackCodes takes `email` as a wrong code.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { HttpReceiver, SmtpReceiver, codeIn, radclient } from '@tollgate/testkit';
import { startDistributedStack } from './distributed-stack.js';
import type { Stack } from './stack.js';

const DOMAIN = 'contoso.com';
const RADIUS_SECRET = `nas-${randomBytes(12).toString('hex')}`;
const FALLBACK_NAS = '127.0.0.7';
const PLAIN_NAS = '127.0.0.8';

let stack: Stack & { output(): string[] };
let smtp: SmtpReceiver;
let sms: HttpReceiver;
const passwords = new Map<string, string>();

async function enroll(name: string, contact: { email?: string; phone?: string }): Promise<string> {
  const upn = `${name}@${DOMAIN}`;
  const password = `Pw-${name}-${randomBytes(4).toString('hex')}`;
  passwords.set(upn, password);
  stack.entra.setUser(upn, { password, kind: 'mfa' });
  await stack.admin.call('POST', '/api/v1/users', { username: upn, ...contact });
  await stack.admin.call('POST', `/api/v1/users/${upn}/totp`, {});
  return upn;
}

const auth = (from: string, username: string, password: string, state?: string) =>
  radclient({
    port: stack.radiusPort,
    secret: RADIUS_SECRET,
    attributes: {
      'User-Name': username,
      'User-Password': password,
      'Packet-Src-IP-Address': from,
      ...(state === undefined ? {} : { State: state }),
    },
    timeoutSec: 4,
    retries: 1,
  });

async function reasons(upn: string, count: number): Promise<string[]> {
  for (let i = 0; i < 100; i++) {
    const found = await stack.admin.reasons(upn, count);
    if (found.length >= count) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  return stack.admin.reasons(upn, count);
}

/** The password step: an Access-Challenge, its State. */
async function challenged(from: string, upn: string): Promise<string> {
  const reply = await auth(from, upn, passwords.get(upn) as string);
  assert.equal(reply.code, 'Access-Challenge', reply.raw);
  const state = reply.attributes.State;
  assert.match(state ?? '', /^0x[0-9a-f]{64}$/, reply.raw);
  return state as string;
}

before(async () => {
  smtp = await new SmtpReceiver().start();
  sms = await new HttpReceiver().start();
  stack = await startDistributedStack();
  await stack.admin.useEntraStandIn(stack.entra, DOMAIN);
  await stack.admin.call('PUT', '/api/v1/settings/fallback-codes', {
    email: { enabled: true, host: '127.0.0.1', port: smtp.port, secure: false, startTls: false, from: 'tollgate@example.org' },
    sms: {
      enabled: true,
      url: `${sms.url}/2010-04-01/Accounts/AC1/Messages.json`,
      allowInsecure: true,
      headers: { Authorization: 'Basic QUMxOnRva2Vu' },
      bodyTemplate: 'To={phone}&From=%2B15005550006&Body=Your sign-in code is {code}',
    },
    maxSendsPerHour: 5,
    codeTtlSeconds: 300,
  });
  await stack.admin.call('POST', '/api/v1/radius-clients', {
    name: 'fallback-nas',
    address: FALLBACK_NAS,
    secret: RADIUS_SECRET,
    otpMode: 'challenge',
    fallbackCodes: true,
  });
  await stack.admin.call('POST', '/api/v1/radius-clients', {
    name: 'plain-nas',
    address: PLAIN_NAS,
    secret: RADIUS_SECRET,
    otpMode: 'challenge',
  });
  await new Promise((r) => setTimeout(r, 200));
});

after(async () => {
  await stack?.stop();
  await smtp?.stop();
  await sms?.stop();
});

test('email: password -> challenge -> `email` -> the code from the mail -> Access-Accept (ok.fallback); the code again in a new dialogue is refused', async () => {
  const upn = await enroll('fay', { email: 'fay@example.org' });
  const state = await challenged(FALLBACK_NAS, upn);
  const before = smtp.messages.length;
  const asked = await auth(FALLBACK_NAS, upn, 'EMAIL', state);
  assert.equal(asked.code, 'Access-Challenge', asked.raw);
  assert.equal(asked.attributes['Reply-Message'], 'Enter the code we sent by email');
  assert.equal(asked.attributes.State, state, 'the same State is asked again');
  const mail = await smtp.waitFor(before);
  assert.deepEqual(mail.to, ['fay@example.org']);
  const code = codeIn(mail.raw);
  const accepted = await auth(FALLBACK_NAS, upn, code, state);
  assert.equal(accepted.code, 'Access-Accept', accepted.raw);
  assert.deepEqual(await reasons(upn, 3), ['ok.fallback', 'challenge.fallback_sent', 'challenge.issued']);
  // A new dialogue: the old code does not fit its State.
  const second = await challenged(FALLBACK_NAS, upn);
  const reused = await auth(FALLBACK_NAS, upn, code, second);
  assert.notEqual(reused.code, 'Access-Accept', reused.raw);
  assert.equal((await reasons(upn, 5))[0], 'otp.invalid');
  for (const line of stack.output()) assert.equal(line.includes(code), false, 'the code in a log line');
});

test('sms: `sms` sends through the webhook; the code from its body accepts', async () => {
  const upn = await enroll('sam', { phone: '+41791234567' });
  const state = await challenged(FALLBACK_NAS, upn);
  const before = sms.requests.length;
  const asked = await auth(FALLBACK_NAS, upn, 'sms', state);
  assert.equal(asked.code, 'Access-Challenge', asked.raw);
  assert.equal(asked.attributes['Reply-Message'], 'Enter the code we sent by text message');
  const request = sms.requests[before];
  assert.ok(request, 'the webhook was called');
  assert.equal(request.headers.authorization, 'Basic QUMxOnRva2Vu');
  const form = new URLSearchParams(request.body);
  assert.equal(form.get('To'), '+41791234567');
  const accepted = await auth(FALLBACK_NAS, upn, codeIn(form.get('Body') ?? ''), state);
  assert.equal(accepted.code, 'Access-Accept', accepted.raw);
  assert.deepEqual(await reasons(upn, 3), ['ok.fallback', 'challenge.fallback_sent', 'challenge.issued']);
});

test('no address on file: a clear prompt, no attempt spent, the TOTP path still open', async () => {
  const upn = await enroll('nia', {});
  const state = await challenged(FALLBACK_NAS, upn);
  const asked = await auth(FALLBACK_NAS, upn, 'email', state);
  assert.equal(asked.code, 'Access-Challenge', asked.raw);
  assert.match(asked.attributes['Reply-Message'] ?? '', /No email address on file/);
  assert.equal((await reasons(upn, 2))[0], 'challenge.fallback_unavailable');
});

test('a client without fallbackCodes takes `email` as a wrong code and sends nothing', async () => {
  const upn = await enroll('pat', { email: 'pat@example.org' });
  const before = smtp.messages.length;
  const state = await challenged(PLAIN_NAS, upn);
  const reply = await auth(PLAIN_NAS, upn, 'email', state);
  assert.equal(reply.code, 'Access-Challenge', reply.raw);
  assert.equal(reply.attributes['Reply-Message'], 'Wrong code, try again');
  assert.equal((await reasons(upn, 2))[0], 'otp.invalid');
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(smtp.messages.length, before, 'no mail sent');
});
