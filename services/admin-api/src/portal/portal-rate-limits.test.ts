import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStateStore } from '@tollgate/state';
import { overLimit, PORTAL_LIMITS, PortalRateLimits } from './portal-rate-limits.js';

test('over the limit at 5 failures of a user or 20 of a source', () => {
  const table: Array<[{ user?: number; source: number }, boolean]> = [
    [{ source: 0 }, false],
    [{ source: 19 }, false],
    [{ source: 20 }, true],
    [{ user: 4, source: 4 }, false],
    [{ user: 5, source: 5 }, true],
    [{ user: 0, source: 25 }, true],
  ];
  for (const [counts, over] of table) assert.equal(overLimit(counts), over, JSON.stringify(counts));
  assert.equal(PORTAL_LIMITS.windowMs, 15 * 60_000);
});

test('counts per user and per source; keys name neither in clear', async () => {
  const state = new MemoryStateStore();
  const limits = new PortalRateLimits(state);
  for (let i = 0; i < 5; i++) await limits.failed(`203.0.113.${i}`, 'ann@contoso.com', 1000);
  assert.equal(await limits.allowed('203.0.113.99', 'ann@contoso.com', 1000), false, 'the user, from any address');
  assert.equal(await limits.allowed('203.0.113.99', 'ben@contoso.com', 1000), true);
  assert.equal(await limits.allowed('203.0.113.1', undefined, 1000), true, 'one failure of that address');
  for (let i = 0; i < 20; i++) await limits.failed('203.0.113.7', undefined, 1000);
  assert.equal(await limits.allowed('203.0.113.7', undefined, 1000), false);
  assert.equal(await state.counter('portal-fail:user:ann@contoso.com'), 0);
});
