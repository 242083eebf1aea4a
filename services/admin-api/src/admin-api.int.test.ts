/**
 * Integration tests of the admin API against real PostgreSQL and a MemoryBus: authentication,
 * the HTTP error shapes, the component's lifecycle and metrics, and the settings endpoints
 * (Entra, its connection test, policy).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { BusError, EntraVerifyRequest, subject } from '@tollgate/contracts';
import { createLogger } from '@tollgate/logging';
import type { ServiceContext } from '@tollgate/runtime';
import { Keyring } from '@tollgate/security';
import { MemoryBus } from '@tollgate/bus';
import { settings } from '@tollgate/store';
import { adminApi, apiTokenSha256, createAdminApp } from './index.js';
import { leaks, startHarness, type Harness } from './testing/admin-api-harness.js';

const TENANT = '8eaef023-2b34-4da1-9baa-8bc8c9d6a490';
const CLIENT = '00001111-aaaa-2222-bbbb-3333cccc4444';
const CLIENT_SECRET = 'Xq8~entra-client-secret-value-Zz9';
const TEST_PASSWORD = 'Correct-Horse-Battery-42';

let h: Harness;
before(async () => {
  h = await startHarness('admin_api');
});
after(async () => {
  await h.close();
});

describe('authentication', () => {
  test('every endpoint requires the bearer token', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/settings/entra'],
      ['PUT', '/api/v1/settings/policy'],
      ['POST', '/api/v1/users'],
      ['GET', '/api/v1/users/alice@contoso.com'],
      ['POST', '/api/v1/tokens/import'],
      ['GET', '/api/v1/auth-events'],
    ] as const) {
      const none = await h.call(method, path, { authorization: null, ...(method === 'GET' ? {} : { body: { username: 'x@y.com' } }) });
      assert.equal(none.status, 401, `${method} ${path}`);
      assert.equal(none.body.error.code, 'unauthorized');
      assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
      const wrong = await h.call(method, path, { authorization: 'Bearer not-the-right-token-at-all' });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.error.code, 'unauthorized');
    }
    const basic = await h.call('GET', '/api/v1/users', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` });
    assert.equal(basic.status, 401);
    assert.equal((await h.call('GET', '/api/v1/users', { authorization: 'bearer test-admin-token-0123456789abcdef' })).status, 200);
  });

  test('a failed attempt is logged without the token', async () => {
    await h.call('GET', '/api/v1/users', { authorization: 'Bearer guess-guess-guess-guess' });
    assert.ok(h.logs.some((l) => l.includes('without a valid token')));
    assert.deepEqual(leaks(h, 'guess-guess-guess-guess'), []);
  });
});

describe('HTTP errors', () => {
  // Percent-encoded as a client sends them; Express decodes them before any handler runs.
  const controlCases: Array<[string, string, string]> = [
    ['GET', '/api/v1/auth-events?username=alice%00', 'username'],
    ['GET', '/api/v1/auth-events?limit=5&username=%01alice', 'username'],
    ['GET', '/api/v1/users?search=al%00ice', 'search'],
    ['GET', '/api/v1/users?after=a%0Ab', 'after'],
    ['GET', '/api/v1/users?search=a%7F', 'search'],
    ['GET', '/api/v1/users?search=a%C2%85', 'search'],
    ['GET', '/api/v1/users?search=ok&search=b%00', 'search'],
    ['GET', '/api/v1/users?sea%00rch=x', 'query'],
    ['GET', '/api/v1/users/alice%00@contoso.com', 'username'],
    ['PATCH', '/api/v1/users/alice%00@contoso.com', 'username'],
    ['DELETE', '/api/v1/users/alice%00', 'username'],
    ['DELETE', '/api/v1/users/alice%00/totp', 'username'],
    ['GET', '/api/v1/radius-clients/abc%00', 'id'],
    ['DELETE', '/api/v1/radius-clients/%00', 'id'],
  ];
  for (const [method, path, field] of controlCases) {
    test(`a control character in a parameter -> 400 naming it: ${method} ${path}`, async () => {
      const res = await h.call(method, path, method === 'PATCH' ? { body: { enabled: false } } : {});
      assert.equal(res.status, 400, res.text);
      assert.deepEqual(res.body.error, { code: 'bad_request', message: `${field}: must not contain control characters`, field });
    });
  }

  test('a control character in a parameter is refused only after authentication', async () => {
    const res = await h.call('GET', '/api/v1/auth-events?username=alice%00', { authorization: null });
    assert.equal(res.status, 401);
  });

  test('parameters with non-ASCII letters are still served', async () => {
    const res = await h.call('GET', `/api/v1/auth-events?username=${encodeURIComponent('jürgen@contoso.com')}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.events, []);
  });

  test('unknown endpoint -> 404 in the API shape', async () => {
    const res = await h.call('GET', '/api/v1/nothing-here');
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'not_found');
  });

  test('malformed JSON -> 400 invalid_json', async () => {
    const res = await h.call('PUT', '/api/v1/settings/policy', { raw: '{"otpMaxFailures": 5,', contentType: 'application/json' });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'invalid_json');
  });

  test('a JSON body over 64 KB -> 413', async () => {
    const res = await h.call('POST', '/api/v1/users', { body: { username: 'a@contoso.com', displayName: 'x'.repeat(70 * 1024) } });
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, 'payload_too_large');
  });

  test('a body that is not JSON -> 415', async () => {
    const res = await h.call('POST', '/api/v1/users', { raw: 'username=a', contentType: 'application/x-www-form-urlencoded' });
    assert.equal(res.status, 415);
    assert.equal(res.body.error.code, 'unsupported_media_type');
  });

  test('answers are never cacheable', async () => {
    const res = await h.call('GET', '/api/v1/settings/policy');
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });
});

describe('component', () => {
  test('listens on the configured address and counts requests by route template', async () => {
    assert.ok(h.component.port > 0);
    assert.equal(h.component.ready?.(), true);
    await h.call('GET', '/api/v1/users/nobody@contoso.com');
    const text = await h.metrics.metrics();
    assert.match(text, /tollgate_admin_requests_total\{route="GET \/api\/v1\/users\/:username",status="404"\} [1-9]/);
    assert.match(text, /tollgate_admin_requests_total\{route="unmatched",status="404"\}/);
    assert.ok(!text.includes('nobody@contoso.com'), 'no user name in a metric label');
  });

  test('refuses to start without a long enough API token, naming the key', async () => {
    const base = { logger: createLogger('admin-api', { destination: { write: () => undefined } }) } as unknown as ServiceContext;
    await assert.rejects(adminApi.create({ ...base, env: {} }), /admin-api: configuration ADMIN_API_TOKEN is required/);
    await assert.rejects(adminApi.create({ ...base, env: { ADMIN_API_TOKEN: 'short' } }), /ADMIN_API_TOKEN must be at least 16 characters/);
    await assert.rejects(adminApi.create({ ...base, env: { ADMIN_API_TOKEN: 'x'.repeat(20), ADMIN_PORT: 'http' } }), /ADMIN_PORT/);
  });

  test('stop() returns promptly even with an idle keep-alive connection, then refuses connections', async () => {
    const db = h.db;
    const logs: string[] = [];
    const component = await adminApi.create({
      env: { ADMIN_PORT: '0', ADMIN_BIND: '127.0.0.1', ADMIN_API_TOKEN: 'another-token-0123456789' },
      logger: createLogger('admin-api', { destination: { write: (l: string) => void logs.push(l) } }),
      bus: new MemoryBus(),
      subjectPrefix: 'x',
      db,
      state: {} as ServiceContext['state'],
      keyring: Keyring.fromBase64(Keyring.generateBase64()),
      metrics: h.metrics,
    });
    await component.start();
    const port = (component as unknown as { port: number }).port;
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/settings/policy`, {
      headers: { authorization: 'Bearer another-token-0123456789', connection: 'keep-alive' },
    });
    assert.equal(res.status, 200);
    await res.text();
    const started = Date.now();
    await component.stop();
    assert.ok(Date.now() - started < 2000, 'an idle connection does not hold up stop()');
    assert.equal(component.ready?.(), false);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/api/v1/settings/policy`));
  });

  test('with ADMIN_API_TOKEN_SHA256 only the hash is configured, and the token it hashes is accepted', async () => {
    const base = { logger: createLogger('admin-api', { destination: { write: () => undefined } }) } as unknown as ServiceContext;
    const token = 'hashed-admin-token-0123456789abcdef';
    const hash = apiTokenSha256(token);
    await assert.rejects(
      adminApi.create({ ...base, env: { ADMIN_API_TOKEN_SHA256: 'abc' } }),
      /ADMIN_API_TOKEN_SHA256 must be a SHA-256 in hex/,
    );
    await assert.rejects(
      adminApi.create({ ...base, env: { ADMIN_API_TOKEN: token, ADMIN_API_TOKEN_SHA256: hash } }),
      /admin-api: configuration ADMIN_API_TOKEN_SHA256 must not be set together with ADMIN_API_TOKEN/,
    );
    const app = createAdminApp({
      db: h.db,
      bus: h.bus,
      state: h.state,
      subjectPrefix: h.prefix,
      keyring: h.keyring,
      logger: createLogger('t', { destination: { write: () => undefined } }),
      apiTokenSha256: hash,
      issuer: 'T',
    });
    const server = createServer(app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    const get = (bearer: string) =>
      fetch(`http://127.0.0.1:${port}/api/v1/settings/policy`, { headers: { authorization: `Bearer ${bearer}` } }).then((r) => r.status);
    try {
      assert.equal(await get(token), 200);
      assert.equal(await get(hash), 401, 'the stored hash is not itself a credential');
      assert.equal(await get(`${token}0`), 401);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('an unexpected failure is a 500 whose log line names the error, never its message', async () => {
    const lines: string[] = [];
    // A database whose error quotes the submitted value, as PostgreSQL's do.
    const failing = Object.assign(Object.create(h.db) as typeof h.db, {
      query: async () => {
        throw Object.assign(new Error('duplicate key value (upn)=(mallory-quoted@contoso.com)'), { code: 'XX000' });
      },
    });
    const app = createAdminApp({
      db: failing,
      bus: h.bus,
      state: h.state,
      subjectPrefix: h.prefix,
      keyring: h.keyring,
      logger: createLogger('t', { level: 'info', destination: { write: (l: string) => void lines.push(l) } }),
      apiToken: 'failing-token-0123456789',
      issuer: 'T',
    });
    const server = createServer(app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/settings/policy`, {
        headers: { authorization: 'Bearer failing-token-0123456789' },
      });
      assert.equal(res.status, 500);
      assert.ok(!(await res.text()).includes('mallory'));
      const logged = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'admin API request failed');
      assert.deepEqual(logged?.err, { name: 'Error', code: 'XX000' });
      assert.ok(!lines.join('\n').includes('mallory'), 'the message is not logged');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('createAdminApp can be mounted on any server', async () => {
    const app = createAdminApp({
      db: h.db,
      bus: h.bus,
      state: h.state,
      subjectPrefix: h.prefix,
      keyring: h.keyring,
      logger: createLogger('t'),
      apiToken: 'mounted-token-0123456789',
      issuer: 'T',
    });
    const server = createServer(app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/settings/policy`, {
      headers: { authorization: 'Bearer mounted-token-0123456789' },
    });
    assert.equal(res.status, 200);
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('Entra settings', () => {
  const valid = { enabled: true, tenantId: TENANT, clientId: CLIENT, domain: 'Contoso.com' };

  test('GET before anything is saved returns defaults', async () => {
    const res = await h.call('GET', '/api/v1/settings/entra');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      enabled: false,
      tenantId: '',
      clientId: '',
      domain: '',
      authorityHost: 'https://login.microsoftonline.com',
      scope: 'openid profile offline_access',
      hasClientSecret: false,
    });
  });

  test('PUT validates, seals the client secret and publishes a settings event', async () => {
    h.events.length = 0;
    const res = await h.call('PUT', '/api/v1/settings/entra', {
      body: { ...valid, clientSecret: CLIENT_SECRET, scope: 'https://graph.microsoft.com/.default' },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      enabled: true,
      tenantId: TENANT,
      clientId: CLIENT,
      domain: 'contoso.com',
      authorityHost: 'https://login.microsoftonline.com',
      scope: 'https://graph.microsoft.com/.default',
      hasClientSecret: true,
    });
    await h.waitForEvent((e) => e.kind === 'settings');

    const stored = await settings.get(h.db, 'entra');
    assert.ok(stored?.clientSecretSealed);
    assert.ok(!JSON.stringify(stored).includes(CLIENT_SECRET), 'stored sealed, not in plaintext');
    assert.equal(h.keyring.openText(stored.clientSecretSealed, 'settings:entra'), CLIENT_SECRET);
    assert.deepEqual((await h.call('GET', '/api/v1/settings/entra')).body, res.body);
  });

  test('an omitted client secret is kept; null removes it', async () => {
    const before = (await settings.get(h.db, 'entra'))!.clientSecretSealed;
    const kept = await h.call('PUT', '/api/v1/settings/entra', { body: { ...valid, authorityHost: 'https://login.microsoftonline.us/' } });
    assert.equal(kept.body.hasClientSecret, true);
    assert.equal(kept.body.authorityHost, 'https://login.microsoftonline.us');
    assert.equal((await settings.get(h.db, 'entra'))!.clientSecretSealed, before);
    const removed = await h.call('PUT', '/api/v1/settings/entra', { body: { ...valid, clientSecret: null } });
    assert.equal(removed.body.hasClientSecret, false);
    assert.equal((await settings.get(h.db, 'entra'))!.clientSecretSealed, undefined);
    // An omitted authority host or scope keeps the stored one: the tenant stays in its cloud.
    assert.equal(removed.body.authorityHost, 'https://login.microsoftonline.us');
    await h.call('PUT', '/api/v1/settings/entra', { body: { ...valid, scope: 'https://graph.microsoft.us/.default' } });
    const scopeKept = await h.call('PUT', '/api/v1/settings/entra', { body: valid });
    assert.equal(scopeKept.body.scope, 'https://graph.microsoft.us/.default');
    assert.equal(scopeKept.body.authorityHost, 'https://login.microsoftonline.us');
    await h.call('PUT', '/api/v1/settings/entra', {
      body: { ...valid, authorityHost: 'https://login.microsoftonline.com', scope: 'openid profile offline_access' },
    });
  });

  test('bad values -> 400 naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ ...valid, tenantId: 'common' }, 'tenantId', /^tenantId: must be the tenant GUID.*AADSTS9001023/],
      [{ ...valid, tenantId: 'consumers' }, 'tenantId', /^tenantId: /],
      [{ ...valid, clientId: 'my-app' }, 'clientId', /^clientId: must be the application \(client\) ID/],
      [{ ...valid, domain: 'contoso' }, 'domain', /^domain: must be a DNS domain/],
      [{ ...valid, authorityHost: 'http://login.microsoftonline.com' }, 'authorityHost', /^authorityHost: must use https/],
      [
        { ...valid, authorityHost: 'https://login.example.net' },
        'authorityHost',
        /^authorityHost: must be a Microsoft cloud.*add it to ENTRA_ALLOWED_AUTHORITY_HOSTS/,
      ],
      [
        { ...valid, authorityHost: 'http://127.0.0.1:4010' },
        'authorityHost',
        /^authorityHost: must not be a loopback address.*ENTRA_ALLOW_LOOPBACK_AUTHORITY=true/,
      ],
      [{ ...valid, enabled: 'true' }, 'enabled', /^enabled: must be a boolean$/],
      [{ ...valid, tenant: TENANT }, 'tenant', /^tenant: is not a known field$/],
      [{ tenantId: TENANT, clientId: CLIENT, domain: 'contoso.com' }, 'enabled', /^enabled: is required$/],
    ];
    for (const [body, field, message] of cases) {
      const res = await h.call('PUT', '/api/v1/settings/entra', { body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, 'bad_request');
      assert.equal(res.body.error.field, field);
      assert.match(res.body.error.message, message);
    }
    assert.equal((await settings.get(h.db, 'entra'))!.tenantId, TENANT, 'nothing saved by a bad request');
  });
});

describe('Entra settings with the operator allowing more authority hosts', () => {
  // The same two keys the entra-verifier reads: what one allows, the other accepts.
  let allowing: Harness;
  before(async () => {
    allowing = await startHarness('admin_api_authority', {
      ENTRA_ALLOW_LOOPBACK_AUTHORITY: 'true',
      ENTRA_ALLOWED_AUTHORITY_HOSTS: 'login.example.net, sts.example.org:8443',
    });
  });
  after(async () => {
    await allowing.close();
  });

  test('a loopback stand-in and the allowed hosts can be saved; others still cannot', async () => {
    const valid = { enabled: true, tenantId: TENANT, clientId: CLIENT, domain: 'contoso.com' };
    for (const [input, saved] of [
      ['http://127.0.0.1:4010/', 'http://127.0.0.1:4010'],
      ['https://LOGIN.example.net', 'https://login.example.net'],
      ['https://sts.example.org:8443', 'https://sts.example.org:8443'],
    ]) {
      const res = await allowing.call('PUT', '/api/v1/settings/entra', { body: { ...valid, authorityHost: input } });
      assert.equal(res.status, 200, input);
      assert.equal(res.body.authorityHost, saved);
      assert.equal((await settings.get(allowing.db, 'entra'))!.authorityHost, saved);
    }
    for (const input of ['https://sts.example.org', 'http://login.example.net', 'https://evil.example.com']) {
      const res = await allowing.call('PUT', '/api/v1/settings/entra', { body: { ...valid, authorityHost: input } });
      assert.equal(res.status, 400, input);
      assert.equal(res.body.error.field, 'authorityHost');
    }
  });

  test('a malformed ENTRA_ALLOWED_AUTHORITY_HOSTS stops start-up, naming the key', async () => {
    const base = { logger: createLogger('admin-api', { destination: { write: () => undefined } }) } as unknown as ServiceContext;
    const env = { ADMIN_API_TOKEN: 'x'.repeat(20) };
    await assert.rejects(
      adminApi.create({ ...base, env: { ...env, ENTRA_ALLOWED_AUTHORITY_HOSTS: 'http://login.example.net' } }),
      /admin-api: configuration ENTRA_ALLOWED_AUTHORITY_HOSTS .*must be a bare https host/,
    );
    await assert.rejects(
      adminApi.create({ ...base, env: { ...env, ENTRA_ALLOW_LOOPBACK_AUTHORITY: 'maybe' } }),
      /configuration ENTRA_ALLOW_LOOPBACK_AUTHORITY must be true or false/,
    );
  });
});

describe('Entra connection test', () => {
  test('asks the entra-verifier on the bus and explains the outcome', async () => {
    const seen: EntraVerifyRequest[] = [];
    const answers = [
      { outcome: 'password_ok_mfa', aadsts: 50076, httpStatus: 400, correlationId: 'c0ffee00-1111-2222-3333-444455556666', latencyMs: 212 },
      { outcome: 'config_error', aadsts: 7000218, httpStatus: 401, latencyMs: 90 },
    ];
    await h.bus.serve({
      name: 'fake-entra-verifier',
      version: '1.0.0',
      endpoints: [
        {
          name: 'testEntra',
          subject: subject(h.prefix, 'testEntra'),
          handler: async (payload) => {
            seen.push(EntraVerifyRequest.parse(payload));
            return answers[seen.length - 1];
          },
        },
      ],
    });
    const ok = await h.call('POST', '/api/v1/settings/entra/test', { body: { username: 'Alice', password: TEST_PASSWORD } });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body, {
      outcome: 'password_ok_mfa',
      aadsts: 50076,
      httpStatus: 400,
      correlationId: 'c0ffee00-1111-2222-3333-444455556666',
      latencyMs: 212,
      message: 'Password verified; the account requires MFA, as Tollgate needs.',
    });
    assert.deepEqual(seen[0], { upn: 'alice@contoso.com', password: TEST_PASSWORD }, 'user name canonicalised with the domain');

    const config = await h.call('POST', '/api/v1/settings/entra/test', { body: { username: 'bob@contoso.com', password: TEST_PASSWORD } });
    assert.equal(config.body.outcome, 'config_error');
    assert.equal(config.body.correlationId, null);
    assert.match(config.body.message, /Enable "Allow public client flows" on the app registration/);
    assert.deepEqual(leaks(h, TEST_PASSWORD), [], 'the test password is in no response and no log line');
  });

  test('bad input -> 400 naming the field', async () => {
    const missing = await h.call('POST', '/api/v1/settings/entra/test', { body: { username: 'alice' } });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.message, 'password: is required');
    const extra = await h.call('POST', '/api/v1/settings/entra/test', { body: { username: 'alice', password: 'x', otp: '123456' } });
    assert.equal(extra.body.error.field, 'otp');
    const nul = await h.call('POST', '/api/v1/settings/entra/test', { body: { username: 'alice', password: 'Secret\u0000Pass' } });
    assert.equal(nul.status, 400);
    assert.equal(nul.body.error.message, 'password: must not contain NUL');
    const nulName = await h.call('POST', '/api/v1/settings/entra/test', { body: { username: 'ali\u0000ce', password: 'x' } });
    assert.equal(nulName.status, 400);
    assert.equal(nulName.body.error.field, 'username');
  });

  test('no verifier on the bus -> 503 verifier_unavailable', async () => {
    const lonely = await startHarness('admin_api_noverifier');
    try {
      await lonely.call('PUT', '/api/v1/settings/entra', {
        body: { enabled: true, tenantId: TENANT, clientId: CLIENT, domain: 'contoso.com' },
      });
      const res = await lonely.call('POST', '/api/v1/settings/entra/test', { body: { username: 'alice', password: TEST_PASSWORD } });
      assert.equal(res.status, 503);
      assert.equal(res.body.error.code, 'verifier_unavailable');
      // A verifier that fails is as unavailable as none.
      await lonely.bus.serve({
        name: 'broken',
        version: '1.0.0',
        endpoints: [
          {
            name: 'testEntra',
            subject: subject(lonely.prefix, 'testEntra'),
            handler: async () => {
              throw new BusError('internal', 'boom');
            },
          },
        ],
      });
      const broken = await lonely.call('POST', '/api/v1/settings/entra/test', { body: { username: 'alice', password: TEST_PASSWORD } });
      assert.equal(broken.status, 503);
      assert.deepEqual(leaks(lonely, TEST_PASSWORD), []);
    } finally {
      await lonely.close();
    }
  });
});

describe('policy', () => {
  test('GET returns the defaults, PUT stores and publishes', async () => {
    const defaults = {
      otpMaxFailures: 5,
      otpLockoutSeconds: 900,
      passwordMaxFailures: 5,
      sourceMaxFailures: 20,
      passwordFailureWindowSeconds: 900,
      verificationOrder: 'parallel',
      challengeTtlSeconds: 120,
    };
    assert.deepEqual((await h.call('GET', '/api/v1/settings/policy')).body, defaults);
    h.events.length = 0;
    const res = await h.call('PUT', '/api/v1/settings/policy', { body: { otpMaxFailures: 3, otpLockoutSeconds: 600 } });
    assert.equal(res.status, 200);
    const stored = { ...defaults, otpMaxFailures: 3, otpLockoutSeconds: 600 };
    assert.deepEqual(res.body, stored);
    assert.deepEqual(await settings.get(h.db, 'policy'), stored);
    assert.deepEqual(await h.waitForEvent((e) => e.kind === 'settings'), { kind: 'settings' });
    assert.deepEqual((await h.call('GET', '/api/v1/settings/policy')).body, stored);
    assert.ok(
      h.logs.some(
        (l) => l.includes('"action":"settings.policy.update"') && l.includes('"actor":"bootstrap"') && l.includes('"role":"admin"'),
      ),
    );
  });

  test('the password limits and the order are set, kept when left out, and a row stored before them reads with their defaults', async () => {
    const limits = {
      passwordMaxFailures: 3,
      sourceMaxFailures: 0,
      passwordFailureWindowSeconds: 60,
      verificationOrder: 'otp_first',
      challengeTtlSeconds: 45,
    };
    const set = await h.call('PUT', '/api/v1/settings/policy', { body: { otpMaxFailures: 4, otpLockoutSeconds: 300, ...limits } });
    assert.equal(set.status, 200);
    assert.deepEqual(set.body, { otpMaxFailures: 4, otpLockoutSeconds: 300, ...limits });
    // Left out: kept as stored, not reset to the defaults.
    const kept = await h.call('PUT', '/api/v1/settings/policy', { body: { otpMaxFailures: 5, otpLockoutSeconds: 900 } });
    assert.deepEqual(kept.body, { otpMaxFailures: 5, otpLockoutSeconds: 900, ...limits });
    await settings.put(h.db, 'policy', { otpMaxFailures: 6, otpLockoutSeconds: 120 });
    assert.deepEqual((await h.call('GET', '/api/v1/settings/policy')).body, {
      otpMaxFailures: 6,
      otpLockoutSeconds: 120,
      passwordMaxFailures: 5,
      sourceMaxFailures: 20,
      passwordFailureWindowSeconds: 900,
      verificationOrder: 'parallel',
      challengeTtlSeconds: 120,
    });
    await h.call('PUT', '/api/v1/settings/policy', {
      body: { otpMaxFailures: 5, otpLockoutSeconds: 900, verificationOrder: 'parallel', challengeTtlSeconds: 120 },
    });
  });

  test('out-of-range or wrong-typed values -> 400 naming the field', async () => {
    const cases: Array<[unknown, string, string]> = [
      [{ otpMaxFailures: 0, otpLockoutSeconds: 600 }, 'otpMaxFailures', 'otpMaxFailures: must be from 1 to 100'],
      [{ otpMaxFailures: 101, otpLockoutSeconds: 600 }, 'otpMaxFailures', 'otpMaxFailures: must be from 1 to 100'],
      [{ otpMaxFailures: 5, otpLockoutSeconds: 9 }, 'otpLockoutSeconds', 'otpLockoutSeconds: must be from 10 to 86400 seconds'],
      [{ otpMaxFailures: '5', otpLockoutSeconds: 600 }, 'otpMaxFailures', 'otpMaxFailures: must be a number'],
      [{ otpMaxFailures: 2.5, otpLockoutSeconds: 600 }, 'otpMaxFailures', 'otpMaxFailures: must be an integer'],
      [{ otpMaxFailures: 5, otpLockoutSeconds: 600, lockout: true }, 'lockout', 'lockout: is not a known field'],
      [
        { otpMaxFailures: 5, otpLockoutSeconds: 600, passwordMaxFailures: -1 },
        'passwordMaxFailures',
        'passwordMaxFailures: must be from 0 to 100',
      ],
      [
        { otpMaxFailures: 5, otpLockoutSeconds: 600, passwordMaxFailures: 1.5 },
        'passwordMaxFailures',
        'passwordMaxFailures: must be an integer',
      ],
      [
        { otpMaxFailures: 5, otpLockoutSeconds: 600, sourceMaxFailures: 100_001 },
        'sourceMaxFailures',
        'sourceMaxFailures: must be from 0 to 100000',
      ],
      [
        { otpMaxFailures: 5, otpLockoutSeconds: 600, passwordFailureWindowSeconds: 5 },
        'passwordFailureWindowSeconds',
        'passwordFailureWindowSeconds: must be from 10 to 86400 seconds',
      ],
      [
        { otpMaxFailures: 5, otpLockoutSeconds: 600, verificationOrder: 'entra_first' },
        'verificationOrder',
        'verificationOrder: must be one of parallel, otp_first',
      ],
      [
        { otpMaxFailures: 5, otpLockoutSeconds: 600, challengeTtlSeconds: 5 },
        'challengeTtlSeconds',
        'challengeTtlSeconds: must be from 10 to 600 seconds',
      ],
    ];
    for (const [body, field, message] of cases) {
      const res = await h.call('PUT', '/api/v1/settings/policy', { body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.deepEqual(res.body.error, { code: 'bad_request', message, field });
    }
  });
});

test('no secret reached a log line or a response', () => {
  assert.deepEqual(leaks(h, CLIENT_SECRET), []);
  assert.deepEqual(leaks(h, TEST_PASSWORD), []);
  assert.deepEqual(leaks(h, 'test-admin-token-0123456789abcdef'), []);
});
