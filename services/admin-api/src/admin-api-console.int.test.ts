/**
 * The console's pages as the admin API serves them: index.html for page routes (the SPA fallback)
 * with the page CSP, hashed assets cached for good, a missing asset a 404, and /api never
 * answered with a page; API answers keep their own `default-src 'none'`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { CONSOLE_ASSETS_DIR } from '@tollgate/admin-console';
import { startHarness, type Harness } from './testing/admin-api-harness.js';

const PAGE_CSP =
  "default-src 'none';script-src 'self';style-src 'self';img-src 'self' data:;connect-src 'self';font-src 'self';manifest-src 'self';base-uri 'none';form-action 'self';frame-ancestors 'none'";

describe('admin API: the console pages', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness('adm_console');
  });
  after(() => h.close());

  test('page routes get index.html with the page CSP and the usual headers, uncached', async () => {
    for (const route of ['/', '/users', '/users/alice%40contoso.com', '/settings']) {
      const page = await fetch(h.base + route);
      assert.equal(page.status, 200, route);
      assert.match(page.headers.get('content-type') ?? '', /^text\/html/, route);
      const html = await page.text();
      assert.match(html, /<div id="app"><\/div>/, route);
      assert.doesNotMatch(html, /<script>|<style>|https?:\/\//, `${route}: no inline script or style, nothing from elsewhere`);
      assert.equal(page.headers.get('content-security-policy'), PAGE_CSP, route);
      assert.equal(page.headers.get('x-frame-options'), 'DENY', route);
      assert.equal(page.headers.get('x-content-type-options'), 'nosniff', route);
      assert.equal(page.headers.get('referrer-policy'), 'no-referrer', route);
      assert.equal(page.headers.get('cross-origin-opener-policy'), 'same-origin', route);
      assert.equal(page.headers.get('cross-origin-resource-policy'), 'same-origin', route);
      assert.equal(page.headers.get('x-powered-by'), null, route);
      assert.equal(page.headers.get('cache-control'), 'no-store', route);
    }
  });

  test('hashed assets are served with the page CSP and cached for good; a missing asset is a 404', async () => {
    const assets = await readdir(path.join(CONSOLE_ASSETS_DIR, 'assets'));
    const script = assets.find((a) => a.endsWith('.js'));
    assert.ok(script, 'the build made a script');
    const answer = await fetch(`${h.base}/assets/${script}`);
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('content-type') ?? '', /javascript/);
    assert.equal(answer.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(answer.headers.get('content-security-policy'), PAGE_CSP);
    for (const file of ['/assets/nothing-here.js', '/favicon.ico', '/users/robots.txt']) {
      const missing = await fetch(h.base + file);
      assert.equal(missing.status, 404, file);
      assert.doesNotMatch(await missing.text(), /id="app"/, file);
    }
  });

  test('/api is never answered with a page: an unknown API path stays a JSON 404 with the API CSP', async () => {
    for (const route of ['/api', '/api/', '/api/v1/no-such-thing', '/api/v2/users']) {
      const answer = await fetch(h.base + route);
      assert.equal(answer.status, 404, route);
      assert.match(answer.headers.get('content-type') ?? '', /application\/json/, route);
      assert.equal(answer.headers.get('content-security-policy'), "default-src 'none';frame-ancestors 'none'", route);
    }
    const api = await h.call('GET', '/api/v1/users');
    assert.equal(api.status, 200);
    assert.equal(api.headers.get('content-security-policy'), "default-src 'none';frame-ancestors 'none'");
  });

  test('only GET and HEAD reach the pages', async () => {
    const head = await fetch(`${h.base}/users`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    const post = await fetch(`${h.base}/users`, { method: 'POST' });
    assert.equal(post.status, 404);
    assert.match(post.headers.get('content-type') ?? '', /application\/json/);
  });
});
