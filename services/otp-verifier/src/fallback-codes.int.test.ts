/**
 * The fallback-code endpoints of the otp-verifier on a MemoryBus, against real PostgreSQL and
 * Redis, a real SMTP server (npm smtp-server: plain, STARTTLS with a login, implicit TLS) and a
 * local HTTP receiver standing in for an SMS gateway.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { Registry } from 'prom-client';
import {
  FALLBACK_SMTP_PASSWORD_CONTEXT,
  fallbackHeaderContext,
  subject,
  type FallbackSendResponse,
  type FallbackVerifyResponse,
} from '@tollgate/contracts';
import { MemoryBus } from '@tollgate/bus';
import { createLogger } from '@tollgate/logging';
import { publishConfigChanged, type Component, type ServiceContext } from '@tollgate/runtime';
import { Keyring } from '@tollgate/security';
import { RedisStateStore } from '@tollgate/state';
import { DEFAULT_FALLBACK_CODES, PostgresDb, migrate, settings, users, type FallbackCodeSettings } from '@tollgate/store';
import {
  HttpReceiver,
  SmtpReceiver,
  TEST_REDIS_URL,
  codeIn,
  createTestDatabase,
  makeTestCertificates,
  uniquePrefix,
  type TestCertificates,
} from '@tollgate/testkit';
import { otpVerifier } from './index.js';

const keyring = new Keyring(Buffer.from(Keyring.generateBase64(), 'base64'));
const subjectPrefix = uniquePrefix('fallback');
const SMTP_PASSWORD = 'smtp-secret-pw';
const API_TOKEN = 'Basic c2VjcmV0LXRva2Vu';
let logText = '';
let db: PostgresDb;
let drop: () => Promise<void>;
let state: RedisStateStore;
let bus: MemoryBus;
let component: Component;
let certificates: TestCertificates;
const closers: Array<() => Promise<unknown>> = [];
const sentCodes: string[] = [];

const newRef = () => `challenge:${randomBytes(32).toString('hex')}`;

async function configure(change: (s: FallbackCodeSettings) => void): Promise<void> {
  const value = structuredClone(DEFAULT_FALLBACK_CODES);
  change(value);
  await settings.put(db, 'fallback-codes', value);
  publishConfigChanged({ bus, subjectPrefix }, { kind: 'settings', key: 'fallback-codes' });
  await new Promise((r) => setTimeout(r, 20));
}

const send = (upn: string, channel: 'email' | 'sms', ref: string) =>
  bus.request(
    subject(subjectPrefix, 'sendFallbackCode'),
    { upn, channel, ref, timeoutMs: 5000 },
    { timeoutMs: 6000 },
  ) as Promise<FallbackSendResponse>;
const verify = (upn: string, ref: string, code: string) =>
  bus.request(subject(subjectPrefix, 'verifyFallbackCode'), { upn, ref, code }, { timeoutMs: 2000 }) as Promise<FallbackVerifyResponse>;

before(async () => {
  certificates = makeTestCertificates();
  const handle = await createTestDatabase('fallback_codes');
  drop = handle.drop;
  db = new PostgresDb({ url: handle.url, max: 4 });
  await migrate(db);
  state = new RedisStateStore({ url: TEST_REDIS_URL, keyPrefix: `${uniquePrefix('fallback')}:` });
  await state.connect();
  bus = new MemoryBus();
  const destination = new Writable({
    write: (chunk, _e, done) => {
      logText += String(chunk);
      done();
    },
  });
  const context: ServiceContext = {
    env: { OTP_CACHE_TTL_MS: '60000' },
    logger: createLogger('otp-verifier', { level: 'debug', destination }),
    bus,
    subjectPrefix,
    db,
    state,
    keyring,
    metrics: new Registry(),
  };
  component = await otpVerifier.create(context);
  await component.start();
  await users.create(db, { upn: 'alice@example.com', email: 'alice@example.org', phone: '+41791234567' });
  await users.create(db, { upn: 'bob@example.com' });
  await users.create(db, { upn: 'carol@example.com', email: 'carol@example.org', enabled: false });
});

after(async () => {
  await component.stop();
  for (const close of closers.reverse()) await close();
  await state.close();
  await db.close();
  await drop();
});

async function smtp(options: ConstructorParameters<typeof SmtpReceiver>[0]): Promise<SmtpReceiver> {
  const server = await new SmtpReceiver(options).start();
  closers.push(() => server.stop());
  return server;
}

describe('sendFallbackCode by email', () => {
  test('plain SMTP: the code arrives, verifies once, then is spent', async () => {
    const server = await smtp({});
    await configure((s) => {
      s.email = {
        ...s.email,
        enabled: true,
        host: '127.0.0.1',
        port: server.port,
        secure: false,
        startTls: false,
        from: 'tollgate@example.org',
      };
      s.maxSendsPerHour = 100;
    });
    const ref = newRef();
    assert.deepEqual(await send('alice@example.com', 'email', ref), { outcome: 'sent', ttlSeconds: 300 });
    const mail = await server.waitFor(0);
    assert.deepEqual(mail.to, ['alice@example.org']);
    assert.equal(mail.from, 'tollgate@example.org');
    const code = codeIn(mail.raw);
    sentCodes.push(code);
    assert.match(mail.raw, /valid for 5 minutes/);
    const wrong = code === '000000' ? '000001' : '000000';
    assert.deepEqual(await verify('alice@example.com', ref, wrong), { outcome: 'invalid' });
    assert.deepEqual(await verify('alice@example.com', newRef(), code), { outcome: 'expired' }, 'a code fits its own challenge only');
    assert.deepEqual(await verify('alice@example.com', ref, code), { outcome: 'valid' });
    assert.deepEqual(await verify('alice@example.com', ref, code), { outcome: 'expired' }, 'single use');
  });

  test('STARTTLS with a login: the connection is encrypted and authenticated', async () => {
    const server = await smtp({ startTls: true, certificates, auth: { username: 'relay', password: SMTP_PASSWORD } });
    await configure((s) => {
      s.email = {
        ...s.email,
        enabled: true,
        host: 'localhost',
        port: server.port,
        secure: false,
        startTls: true,
        caCertificate: certificates.ca,
        username: 'relay',
        passwordSealed: keyring.seal(SMTP_PASSWORD, FALLBACK_SMTP_PASSWORD_CONTEXT),
        from: 'tollgate@example.org',
      };
      s.maxSendsPerHour = 100;
    });
    const ref = newRef();
    assert.equal((await send('alice@example.com', 'email', ref)).outcome, 'sent');
    const mail = await server.waitFor(0);
    assert.equal(mail.secure, true);
    assert.equal(mail.user, 'relay');
    const code = codeIn(mail.raw);
    sentCodes.push(code);
    assert.equal((await verify('alice@example.com', ref, code)).outcome, 'valid');
  });

  test('implicit TLS (SMTPS) works; a wrong login is `failed` and stores no code', async () => {
    const server = await smtp({ secure: true, certificates, auth: { username: 'relay', password: SMTP_PASSWORD } });
    const base = (password: string) => (s: FallbackCodeSettings) => {
      s.email = {
        ...s.email,
        enabled: true,
        host: 'localhost',
        port: server.port,
        secure: true,
        startTls: false,
        caCertificate: certificates.ca,
        username: 'relay',
        passwordSealed: keyring.seal(password, FALLBACK_SMTP_PASSWORD_CONTEXT),
        from: 'tollgate@example.org',
      };
      s.maxSendsPerHour = 100;
    };
    await configure(base(SMTP_PASSWORD));
    const ref = newRef();
    assert.equal((await send('alice@example.com', 'email', ref)).outcome, 'sent');
    const mail = await server.waitFor(0);
    assert.equal(mail.secure, true);
    sentCodes.push(codeIn(mail.raw));
    await configure(base('wrong-password'));
    const ref2 = newRef();
    assert.equal((await send('alice@example.com', 'email', ref2)).outcome, 'failed');
    assert.equal(await state.get(`fallback-code:${ref2}`), null);
  });

  test('STARTTLS required but not offered: `failed`, never plain text', async () => {
    const server = await smtp({});
    await configure((s) => {
      s.email = {
        ...s.email,
        enabled: true,
        host: '127.0.0.1',
        port: server.port,
        secure: false,
        startTls: true,
        from: 'tollgate@example.org',
      };
      s.maxSendsPerHour = 100;
    });
    assert.equal((await send('alice@example.com', 'email', newRef())).outcome, 'failed');
    assert.equal(server.messages.length, 0);
  });
});

describe('sendFallbackCode by SMS webhook', () => {
  test('a Twilio-style form POST with a sealed Authorization header', async () => {
    const receiver = await new HttpReceiver().start();
    closers.push(() => receiver.stop());
    await configure((s) => {
      s.sms = {
        ...s.sms,
        enabled: true,
        url: `${receiver.url}/2010-04-01/Accounts/AC1/Messages.json`,
        allowInsecure: true,
        method: 'POST',
        headersSealed: { Authorization: keyring.seal(API_TOKEN, fallbackHeaderContext('Authorization')) },
        bodyTemplate: 'To={phone}&From=%2B15005550006&Body=Your code is {code}',
        contentType: 'application/x-www-form-urlencoded',
      };
      s.maxSendsPerHour = 100;
    });
    const ref = newRef();
    assert.equal((await send('alice@example.com', 'sms', ref)).outcome, 'sent');
    const [request] = receiver.requests;
    assert.ok(request);
    assert.equal(request.method, 'POST');
    assert.equal(request.url, '/2010-04-01/Accounts/AC1/Messages.json');
    assert.equal(request.headers.authorization, API_TOKEN);
    assert.equal(request.headers['content-type'], 'application/x-www-form-urlencoded');
    const form = new URLSearchParams(request.body);
    assert.equal(form.get('To'), '+41791234567');
    const code = codeIn(form.get('Body') ?? '');
    sentCodes.push(code);
    assert.equal((await verify('alice@example.com', ref, code)).outcome, 'valid');
    receiver.status = 500;
    assert.equal((await send('alice@example.com', 'sms', newRef())).outcome, 'failed');
  });
});

describe('sendFallbackCode refusals', () => {
  test('disabled channel, no address, disabled user', async () => {
    await configure((s) => {
      s.email = { ...s.email, enabled: true, host: '127.0.0.1', port: 1, from: 'x@example.org' };
    });
    assert.equal((await send('alice@example.com', 'sms', newRef())).outcome, 'disabled');
    assert.equal((await send('bob@example.com', 'email', newRef())).outcome, 'no_address');
    assert.equal((await send('carol@example.com', 'email', newRef())).outcome, 'no_address');
    assert.equal((await send('nobody@example.com', 'email', newRef())).outcome, 'no_address');
  });

  test('the hourly limit: the sends past maxSendsPerHour are rate_limited', async () => {
    const server = await smtp({});
    await users.create(db, { upn: 'dave@example.com', email: 'dave@example.org' });
    await configure((s) => {
      s.email = { ...s.email, enabled: true, host: '127.0.0.1', port: server.port, secure: false, startTls: false, from: 'x@example.org' };
      s.maxSendsPerHour = 2;
    });
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push((await send('dave@example.com', 'email', newRef())).outcome);
    assert.deepEqual(outcomes, ['sent', 'sent', 'rate_limited']);
    assert.equal(server.messages.length, 2);
    assert.equal(server.connections, 1, 'the pooled transport sent both on one connection');
    for (const m of server.messages) sentCodes.push(codeIn(m.raw));
  });

  test('bad requests name the field', async () => {
    await assert.rejects(send('alice@example.com', 'email', 'challenge:short'), /ref/);
    await assert.rejects(verify('alice@example.com', newRef(), '12ab56'), /code/);
  });
});

test('no code, SMTP password or webhook token appears in the log', () => {
  assert.ok(sentCodes.length >= 5);
  assert.match(logText, /fallback code sent/);
  assert.match(logText, /fallback code used/);
  for (const secret of [...sentCodes, SMTP_PASSWORD, API_TOKEN, 'alice@example.org', '+41791234567']) {
    assert.equal(logText.includes(secret), false, 'a secret or address in the log');
  }
});
