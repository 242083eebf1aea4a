import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequestIds } from './request-ids.js';

test('request ids are 8 base64url characters and do not repeat, across refills of the block', () => {
  const next = createRequestIds(4);
  const ids = Array.from({ length: 5000 }, () => next());
  for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{8}$/);
  assert.equal(new Set(ids).size, ids.length);
});

test('two sources (two replicas) draw different ids', () => {
  const a = createRequestIds();
  const b = createRequestIds();
  const fromA = new Set(Array.from({ length: 1000 }, () => a()));
  assert.ok(Array.from({ length: 1000 }, () => b()).every((id) => !fromA.has(id)));
});
