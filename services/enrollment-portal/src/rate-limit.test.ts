import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AddressRateLimit } from './rate-limit.js';

test('an address gets its limit per window, then is refused until the window ends; others are apart', () => {
  let now = 0;
  const limit = new AddressRateLimit({ limit: 3, windowMs: 60_000, now: () => now });
  assert.deepEqual(
    [1, 2, 3, 4].map(() => limit.allow('203.0.113.1')),
    [true, true, true, false],
  );
  assert.equal(limit.allow('203.0.113.2'), true);
  now = 59_999;
  assert.equal(limit.allow('203.0.113.1'), false);
  now = 60_000;
  assert.equal(limit.allow('203.0.113.1'), true);
});

test('the table is swept of ended windows when full, and never grows past its bound', () => {
  let now = 0;
  const limit = new AddressRateLimit({ limit: 1, windowMs: 1_000, now: () => now, maxEntries: 10 });
  for (let i = 0; i < 10; i++) limit.allow(`a${i}`);
  assert.equal(limit.size, 10);
  now = 1_000;
  limit.allow('fresh');
  assert.equal(limit.size, 1);
  for (let i = 0; i < 25; i++) limit.allow(`b${i}`);
  assert.ok(limit.size <= 10);
});
