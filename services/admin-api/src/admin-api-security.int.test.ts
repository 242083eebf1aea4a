/**
 * Integration tests of the admin API's defences over real HTTP: failed authentication throttled
 * per source (429 with Retry-After) and logged in summary, and the security headers on every
 * kind of answer. A second source is a second loopback address (127.0.0.2) as the client's own.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { API_TOKEN, leaks, startHarness, type Harness } from './testing/admin-api-harness.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  // biome-ignore lint/suspicious/noExplicitAny: a parsed JSON response, read by path; the assertions check its shape
  body: any;
}

/** GET `path` from the local address `from`, with `token` (null: no Authorization header). */
function get(h: Harness, path: string, token: string | null, from = '127.0.0.1', extra: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const url = new URL(h.base + path);
    const headers: Record<string, string> = { ...extra };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'GET', headers, localAddress: from, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const WRONG = 'wrong-token-wrong-token-0000';
const summaryLines = (h: Harness) =>
  // biome-ignore lint/suspicious/noExplicitAny: parsed log lines, read by path; the assertions check its shape
  h.logs.map((l) => JSON.parse(l) as Record<string, any>).filter((l) => l.msg === 'admin API requests without a valid token');

describe('failed authentication is throttled per source', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness('admin_throttle', { ADMIN_AUTH_MAX_FAILURES: '5', ADMIN_AUTH_WINDOW_SECONDS: '120' });
  });
  after(async () => {
    await h.close();
  });

  test('429 after the limit, for wrong and right tokens alike from that source; other sources unaffected', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await get(h, '/api/v1/settings/policy', WRONG)).status, 401, `failure ${i + 1}`);
    const refused = await get(h, '/api/v1/settings/policy', WRONG);
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error.code, 'too_many_requests');
    const retryAfter = Number(refused.headers['retry-after']);
    assert.ok(
      Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 120,
      `Retry-After ${String(refused.headers['retry-after'])}`,
    );
    assert.equal(refused.headers['www-authenticate'], undefined);
    assert.equal((await get(h, '/api/v1/settings/policy', API_TOKEN)).status, 429, 'no token is looked at while throttled');
    assert.equal((await get(h, '/api/v1/settings/policy', null)).status, 429);

    // Another source: its valid requests are served while 127.0.0.1 is refused.
    assert.equal((await get(h, '/api/v1/settings/policy', API_TOKEN, '127.0.0.2')).status, 200);
    for (let i = 0; i < 4; i++) assert.equal((await get(h, '/api/v1/settings/policy', WRONG, '127.0.0.2')).status, 401);
    // Its success resets its own count, and only its own.
    assert.equal((await get(h, '/api/v1/settings/policy', API_TOKEN, '127.0.0.2')).status, 200);
    assert.equal((await get(h, '/api/v1/settings/policy', API_TOKEN)).status, 429, "another source's success lifts no throttle");
    for (let i = 0; i < 4; i++)
      assert.equal((await get(h, '/api/v1/settings/policy', WRONG, '127.0.0.2')).status, 401, `after the reset, failure ${i + 1}`);
    assert.equal((await get(h, '/api/v1/settings/policy', WRONG, '127.0.0.2')).status, 401, 'the fifth failure is still answered');
    assert.equal((await get(h, '/api/v1/settings/policy', API_TOKEN, '127.0.0.2')).status, 429, 'then that source is throttled too');
  });

  test('300 more wrong tokens are logged in summary: a few lines per source with the counts, never the token', async () => {
    for (let i = 0; i < 300; i++) await get(h, '/api/v1/users', `${WRONG}-${i}`, '127.0.0.3');
    await h.component.stop(); // tells what is left of the interval
    const lines = summaryLines(h);
    const from = (remote: string) => lines.filter((l) => l.remote === remote);
    const total = (remote: string, field: 'failures' | 'throttled') => from(remote).reduce((n, l) => n + (l[field] as number), 0);
    assert.ok(from('127.0.0.3').length <= 4, `${from('127.0.0.3').length} lines for 300 requests`);
    assert.equal(total('127.0.0.3', 'failures'), 5);
    assert.equal(total('127.0.0.3', 'throttled'), 295);
    assert.equal(total('127.0.0.1', 'failures'), 5);
    assert.equal(total('127.0.0.1', 'throttled'), 4);
    assert.equal(total('127.0.0.2', 'failures'), 9);
    assert.equal(total('127.0.0.2', 'throttled'), 1);
    assert.ok(lines.every((l) => l.level === 'warn'));
    assert.deepEqual(leaks(h, WRONG), []);
    assert.deepEqual(leaks(h, API_TOKEN), []);
  });
});

describe('security headers', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness('admin_headers');
  });
  after(async () => {
    await h.close();
  });

  test('every answer (200, 401, 404, 429) carries the headers of a JSON API and no X-Powered-By', async () => {
    const limited = await startHarness('admin_headers_429', { ADMIN_AUTH_MAX_FAILURES: '1' });
    try {
      await get(limited, '/api/v1/users', WRONG);
      const answers: Array<[string, Answer, number]> = [
        ['200', await get(h, '/api/v1/settings/policy', API_TOKEN), 200],
        ['401', await get(h, '/api/v1/settings/policy', WRONG), 401],
        ['404', await get(h, '/api/v1/nothing-here', API_TOKEN), 404],
        ['429', await get(limited, '/api/v1/users', WRONG), 429],
      ];
      for (const [name, res, status] of answers) {
        assert.equal(res.status, status, name);
        assert.equal(res.headers['x-content-type-options'], 'nosniff', name);
        assert.equal(res.headers['x-frame-options'], 'DENY', name);
        assert.equal(res.headers['referrer-policy'], 'no-referrer', name);
        assert.equal(res.headers['content-security-policy'], "default-src 'none';frame-ancestors 'none'", name);
        assert.equal(res.headers['cache-control'], 'no-store', name);
        assert.equal(res.headers['x-powered-by'], undefined, name);
        assert.equal(res.headers['strict-transport-security'], undefined, `${name}: no HSTS over plain HTTP`);
      }
    } finally {
      await limited.close();
    }
  });

  test('HSTS only on a request that came over TLS (a TLS proxy in front says X-Forwarded-Proto: https)', async () => {
    const proxied = await get(h, '/api/v1/settings/policy', API_TOKEN, '127.0.0.1', { 'x-forwarded-proto': 'https' });
    assert.equal(proxied.headers['strict-transport-security'], 'max-age=31536000');
    const plain = await get(h, '/api/v1/settings/policy', API_TOKEN, '127.0.0.1', { 'x-forwarded-proto': 'http' });
    assert.equal(plain.headers['strict-transport-security'], undefined);
  });
});
