/**
 * The ROPC client against the Entra stand-in and a few misbehaving HTTP servers: what it sends,
 * how it reads (or refuses to read) the answers, its deadline and its connection reuse.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEntraStandIn, STAND_IN_TOKEN_PREFIX, type EntraStandIn } from '@tollgate/testkit';
import { RopcClient, type RopcCall } from './ropc-client.js';

const PASSWORD = 'Ropc-Client-Pw-7731';

async function rawServer(handler: http.RequestListener): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('RopcClient', () => {
  let standIn: EntraStandIn;
  let client: RopcClient;
  let call: (username: string, password?: string, change?: Partial<RopcCall>) => Promise<Awaited<ReturnType<RopcClient['call']>>>;

  before(async () => {
    standIn = await startEntraStandIn({
      clientSecret: 'cs-1',
      users: {
        'mfa@contoso.com': { password: PASSWORD, kind: 'mfa' },
        'nomfa@contoso.com': { password: PASSWORD, kind: 'no_mfa' },
      },
    });
    client = new RopcClient({ timeoutMs: 300, maxConnections: 16 });
    call = (username, password = PASSWORD, change = {}) =>
      client.call({
        origin: standIn.url,
        path: `/${standIn.tenant}/oauth2/v2.0/token`,
        clientId: standIn.clientId,
        clientSecret: 'cs-1',
        scope: 'openid profile offline_access',
        username,
        password,
        ...change,
      });
  });
  after(async () => {
    await client.close();
    await standIn.close();
  });

  it('sends a form POST with every ROPC field and classifies the MFA answer', async () => {
    const result = await call('mfa@contoso.com');
    assert.equal(result.outcome, 'password_ok_mfa');
    assert.equal(result.aadsts, 50076);
    assert.equal(result.httpStatus, 400);
    assert.match(result.correlationId ?? '', /^[0-9a-f-]{36}$/);
    assert.ok(result.latencyMs >= 0);
    const seen = standIn.requests.last.at(-1)!;
    assert.equal(seen.contentType, 'application/x-www-form-urlencoded');
    assert.equal(seen.grantType, 'password');
    assert.equal(seen.clientId, standIn.clientId);
    assert.equal(seen.username, 'mfa@contoso.com');
    assert.equal(seen.scope, 'openid profile offline_access');
    assert.equal(seen.clientSecretSent, true);
  });

  it('omits client_secret when there is none (the stand-in then wants one: 7000218)', async () => {
    const result = await call('mfa@contoso.com', PASSWORD, { clientSecret: undefined });
    assert.equal(standIn.requests.last.at(-1)!.clientSecretSent, false);
    assert.deepEqual([result.outcome, result.aadsts], ['config_error', 7000218]);
  });

  it('a token answer is no_mfa and the result holds no token', async () => {
    const result = await call('nomfa@contoso.com');
    assert.equal(result.outcome, 'no_mfa');
    assert.equal(result.httpStatus, 200);
    assert.equal(result.aadsts, undefined);
    assert.ok(!JSON.stringify(result).includes(STAND_IN_TOKEN_PREFIX));
    assert.ok(!JSON.stringify(result).includes('[dropped]'));
  });

  it('times out after timeoutMs -> unavailable', async () => {
    standIn.setLatency(2000);
    try {
      const started = Date.now();
      const result = await call('mfa@contoso.com');
      const elapsed = Date.now() - started;
      assert.equal(result.outcome, 'unavailable');
      assert.equal(result.failure, 'timeout');
      assert.equal(result.httpStatus, 0);
      assert.ok(elapsed >= 280 && elapsed < 1000, `took ${elapsed} ms`);
    } finally {
      standIn.setLatency(0);
    }
  });

  it('a dropped connection -> unavailable (network)', async () => {
    standIn.setDown(true, 'close');
    try {
      const result = await call('mfa@contoso.com');
      assert.equal(result.outcome, 'unavailable');
      assert.equal(result.failure, 'network');
      assert.equal(result.httpStatus, 0);
    } finally {
      standIn.setDown(false);
    }
  });

  it('a refused connection -> unavailable (network)', async () => {
    const gone = await rawServer(() => undefined);
    await gone.close();
    const result = await call('mfa@contoso.com', PASSWORD, { origin: gone.origin });
    assert.equal(result.outcome, 'unavailable');
    assert.equal(result.failure, 'network');
    assert.equal(typeof result.errorCode, 'string');
  });

  it('an HTML 502, an empty 200 and an oversized body -> unavailable', async () => {
    const server = await rawServer((req, res) => {
      if (req.url?.startsWith('/html')) {
        res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body><h1>502 Bad Gateway</h1></body></html>');
      } else if (req.url?.startsWith('/empty')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end();
      } else {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'interaction_required', error_codes: [50076], pad: 'x'.repeat(200_000) }));
      }
    });
    try {
      const html = await call('mfa@contoso.com', PASSWORD, { origin: server.origin, path: '/html' });
      assert.deepEqual([html.outcome, html.httpStatus, html.failure], ['unavailable', 502, undefined]);
      const empty = await call('mfa@contoso.com', PASSWORD, { origin: server.origin, path: '/empty' });
      assert.deepEqual([empty.outcome, empty.httpStatus], ['unavailable', 200]);
      const big = await call('mfa@contoso.com', PASSWORD, { origin: server.origin, path: '/big' });
      assert.deepEqual([big.outcome, big.failure], ['unavailable', 'body_too_large']);
    } finally {
      await server.close();
    }
  });

  it('an answer cut off in its body -> unavailable (network), never classified', async () => {
    const server = await rawServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"error":"interaction_required","error_codes":[50076]');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    try {
      const cut = await call('mfa@contoso.com', PASSWORD, { origin: server.origin });
      assert.deepEqual([cut.outcome, cut.failure, cut.httpStatus], ['unavailable', 'network', 0]);
    } finally {
      await server.close();
    }
  });

  it('200 concurrent calls share at most maxConnections connections', async () => {
    // A roomier deadline than the other cases: this one is about the pool, not the timeout.
    const roomy = new RopcClient({ timeoutMs: 5000, maxConnections: 16 });
    const before = standIn.requests.connections;
    const results = await Promise.all(
      Array.from({ length: 200 }, () =>
        roomy.call({
          origin: standIn.url,
          path: `/${standIn.tenant}/oauth2/v2.0/token`,
          clientId: standIn.clientId,
          clientSecret: 'cs-1',
          scope: 'openid',
          username: 'mfa@contoso.com',
          password: PASSWORD,
        }),
      ),
    ).finally(() => roomy.close());
    assert.ok(results.every((r) => r.outcome === 'password_ok_mfa'));
    const opened = standIn.requests.connections - before;
    assert.ok(opened >= 1 && opened <= 16, `opened ${opened} connections`);
  });

  it('after close(), calls answer unavailable without a request', async () => {
    const other = new RopcClient({ timeoutMs: 300, maxConnections: 1 });
    await other.close();
    const count = standIn.requests.count;
    const result = await other.call({
      origin: standIn.url,
      path: `/${standIn.tenant}/oauth2/v2.0/token`,
      clientId: standIn.clientId,
      scope: 'openid',
      username: 'mfa@contoso.com',
      password: PASSWORD,
    });
    assert.deepEqual([result.outcome, result.failure], ['unavailable', 'closed']);
    assert.equal(standIn.requests.count, count);
  });
});
