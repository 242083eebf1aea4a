import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SERVICE_NAMES } from './service-registry.js';
import { checkTargetsReachable, defaultAdminBind, planBackends, type BackendPlan } from './backend-plan.js';
import { loadAdminConfig } from '@tollgate/admin-api';
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
  [
    { DATABASE_URL: PG, REDIS_URL: REDIS },
    { bus: 'memory', db: 'postgres', state: 'redis' },
  ],
  [
    { NATS_URL: NATS, DATABASE_URL: PG, REDIS_URL: REDIS },
    { bus: 'nats', db: 'postgres', state: 'redis' },
  ],
];
for (const [urls, plan] of plans) {
  test(`plan for ${Object.keys(urls).join(' + ') || 'no URL'}`, () => {
    assert.deepEqual(planBackends(urls), plan);
  });
}

test('without NATS every service must run in this process', () => {
  const memory = planBackends({});
  checkTargetsReachable(memory, [...SERVICE_NAMES]);
  for (const partial of [['otp-verifier'], ['radius-gateway', 'aggregator'], SERVICE_NAMES.filter((n) => n !== 'admin-api')]) {
    assert.throws(
      () => checkTargetsReachable(memory, partial),
      (e: unknown) =>
        e instanceof TargetError && e.code === 'needs_nats' && e.message.includes('NATS_URL') && e.message.includes('tollgate run all'),
    );
  }
});

test('with NATS and PostgreSQL any single service may run alone, with or without Redis', () => {
  for (const plan of [
    planBackends({ NATS_URL: NATS, DATABASE_URL: PG }),
    planBackends({ NATS_URL: NATS, DATABASE_URL: PG, REDIS_URL: REDIS }),
  ]) {
    for (const name of SERVICE_NAMES) checkTargetsReachable(plan, [name]);
  }
});

test('with NATS but the embedded database every service must still run in this process', () => {
  const plan = planBackends({ NATS_URL: NATS });
  checkTargetsReachable(plan, [...SERVICE_NAMES]);
  assert.throws(
    () => checkTargetsReachable(plan, ['admin-api']),
    (e: unknown) =>
      e instanceof TargetError &&
      e.code === 'needs_database' &&
      e.message.includes('DATABASE_URL') &&
      e.message.includes('tollgate run all'),
  );
});

test('the portal may be left out of a one-process install, but cannot run alone without NATS', () => {
  const withoutPortal = SERVICE_NAMES.filter((n) => n !== 'enrollment-portal');
  checkTargetsReachable(planBackends({}), withoutPortal);
  checkTargetsReachable(planBackends({ NATS_URL: NATS }), withoutPortal);
  assert.throws(
    () => checkTargetsReachable(planBackends({}), ['enrollment-portal'], { needsDatabase: false }),
    (e: unknown) => e instanceof TargetError && e.code === 'needs_nats',
  );
  // On NATS it needs no database of its own: the embedded one of another process is none of its business.
  checkTargetsReachable(planBackends({ NATS_URL: NATS }), ['enrollment-portal'], { needsDatabase: false });
});

// The admin API's address when ADMIN_BIND is unset: loopback for the one-box (in-process bus) install only.
const binds: Array<[string, Record<string, string | undefined>, string | undefined]> = [
  ['no URL (make run): loopback', {}, '127.0.0.1'],
  ['embedded bus, real database and Redis: still one process, loopback', { DATABASE_URL: PG, REDIS_URL: REDIS }, '127.0.0.1'],
  ['ADMIN_BIND set wins in one-box mode', { ADMIN_BIND: '0.0.0.0' }, undefined],
  ['ADMIN_BIND set to an address wins', { ADMIN_BIND: '192.0.2.10' }, undefined],
  ['an empty ADMIN_BIND counts as unset', { ADMIN_BIND: '' }, '127.0.0.1'],
  ['with NATS: the admin API keeps its own default (all interfaces)', { NATS_URL: NATS, DATABASE_URL: PG }, undefined],
  ['with NATS and ADMIN_BIND: as configured', { NATS_URL: NATS, DATABASE_URL: PG, ADMIN_BIND: '10.0.0.5' }, undefined],
];
for (const [name, env, expected] of binds) {
  test(`admin bind default: ${name}`, () => assert.equal(defaultAdminBind(planBackends(env), env), expected));
}

test('the admin API reads the default as its ADMIN_BIND; without it, its own default stays all interfaces', () => {
  const token = { ADMIN_API_TOKEN: 'x'.repeat(20) };
  const resolve = (env: Record<string, string | undefined>) => {
    const bind = defaultAdminBind(planBackends(env), env);
    return loadAdminConfig({ ...token, ...env, ...(bind ? { ADMIN_BIND: bind } : {}) }).ADMIN_BIND;
  };
  assert.equal(resolve({}), '127.0.0.1');
  assert.equal(resolve({ ADMIN_BIND: '0.0.0.0' }), '0.0.0.0');
  assert.equal(resolve({ NATS_URL: NATS, DATABASE_URL: PG }), '0.0.0.0');
});
