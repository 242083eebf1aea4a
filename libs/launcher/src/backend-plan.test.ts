import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SERVICE_NAMES } from '@tollgate/runtime';
import { checkTargetsReachable, isFullyEmbedded, planBackends, type BackendPlan } from './backend-plan.js';
import { TargetError } from './targets.js';

const NATS = 'nats://127.0.0.1:4222';
const PG = 'postgres://postgres@127.0.0.1/tollgate';
const REDIS = 'redis://127.0.0.1:6379';

// Each URL switches its own part, in any combination.
const plans: Array<[Record<string, string | undefined>, BackendPlan]> = [
  [{}, { bus: 'memory', db: 'pglite', state: 'memory' }],
  [{ NATS_URL: NATS }, { bus: 'nats', db: 'pglite', state: 'memory' }],
  [{ DATABASE_URL: PG }, { bus: 'memory', db: 'postgres', state: 'memory' }],
  [{ REDIS_URL: REDIS }, { bus: 'memory', db: 'pglite', state: 'redis' }],
  [{ DATABASE_URL: PG, REDIS_URL: REDIS }, { bus: 'memory', db: 'postgres', state: 'redis' }],
  [{ NATS_URL: NATS, DATABASE_URL: PG, REDIS_URL: REDIS }, { bus: 'nats', db: 'postgres', state: 'redis' }],
];
for (const [urls, plan] of plans) {
  test(`plan for ${Object.keys(urls).join(' + ') || 'no URL'}`, () => {
    assert.deepEqual(planBackends(urls), plan);
    assert.equal(isFullyEmbedded(plan), Object.keys(urls).length === 0);
  });
}

test('without NATS every service must run in this process', () => {
  const memory = planBackends({});
  checkTargetsReachable(memory, [...SERVICE_NAMES]);
  for (const partial of [['otp-verifier'], ['radius-gateway', 'aggregator'], SERVICE_NAMES.filter((n) => n !== 'admin-api')]) {
    assert.throws(
      () => checkTargetsReachable(memory, partial),
      (e: unknown) => e instanceof TargetError && e.code === 'needs_nats' && e.message.includes('NATS_URL') && e.message.includes('tollgate run all'),
    );
  }
});

test('with NATS and PostgreSQL any single service may run alone, with or without Redis', () => {
  for (const plan of [planBackends({ NATS_URL: NATS, DATABASE_URL: PG }), planBackends({ NATS_URL: NATS, DATABASE_URL: PG, REDIS_URL: REDIS })]) {
    for (const name of SERVICE_NAMES) checkTargetsReachable(plan, [name]);
  }
});

test('with NATS but the embedded database every service must still run in this process', () => {
  const plan = planBackends({ NATS_URL: NATS });
  checkTargetsReachable(plan, [...SERVICE_NAMES]);
  assert.throws(
    () => checkTargetsReachable(plan, ['admin-api']),
    (e: unknown) => e instanceof TargetError && e.code === 'needs_database' && e.message.includes('DATABASE_URL') && e.message.includes('tollgate run all'),
  );
});
