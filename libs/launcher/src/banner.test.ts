import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBanner, hostsOf, type Endpoint, type Listener, type StartupSummary } from './banner.js';

// The two listeners Tollgate's manifests declare today (radius-gateway's and admin-api's).
const radius = (at: Endpoint): Listener => ({
  service: 'radius-gateway',
  label: 'RADIUS',
  protocol: 'udp',
  note: 'authentication, PAP',
  ...at,
});
const admin = (at: Endpoint): Listener => ({ service: 'admin-api', label: 'Admin API', protocol: 'http', path: '/api/v1', ...at });

const embedded: StartupSummary = {
  services: ['otp-verifier', 'entra-verifier', 'aggregator', 'admin-api', 'radius-gateway'],
  allServices: true,
  plan: { bus: 'memory', db: 'pglite', state: 'memory' },
  urls: {},
  listeners: [radius({ bind: '0.0.0.0', port: 1812 }), admin({ bind: '0.0.0.0', port: 8080 })],
  health: { bind: '0.0.0.0', port: 9464 },
  dataDir: '/srv/tollgate/data',
  pgliteDir: '/srv/tollgate/data/pglite',
  masterKey: { source: 'created', file: '/srv/tollgate/data/master.key' },
  adminToken: {
    token: { source: 'created', token: 'the-new-admin-token-0123456789abcdef', sha256: 'a'.repeat(64), persist: async () => undefined },
    file: '/srv/tollgate/data/admin-token.sha256',
  },
};

test('first embedded start: endpoints, embedded backends, data dir, and the token once', () => {
  const text = formatBanner(embedded);
  assert.match(text, /RADIUS +udp 0\.0\.0\.0:1812/);
  assert.match(text, /Admin API +http:\/\/127\.0\.0\.1:8080\/api\/v1 +\(listening on 0\.0\.0\.0:8080, all interfaces\)/);
  assert.match(text, /\n {2}Console +http:\/\/127\.0\.0\.1:8080\/ +\(a console account: tollgate admin create/);
  assert.match(text, /Bus +in-process \(embedded; set NATS_URL/);
  assert.match(text, /Database +embedded PostgreSQL \(PGlite\) in \/srv\/tollgate\/data\/pglite/);
  assert.match(text, /State +process memory \(embedded; set REDIS_URL/);
  assert.match(text, /Data dir +\/srv\/tollgate\/data/);
  assert.match(text, /master\.key \(created now, mode 0600/);
  assert.equal(text.split('the-new-admin-token-0123456789abcdef').length - 1, 1, 'the token appears exactly once');
  assert.match(text, /ADMIN_API_TOKEN=the-new-admin-token-0123456789abcdef/);
  assert.ok(!text.includes('a'.repeat(64)), 'the hash is not shown');
});

test('second start: no token, says where the hash is and how to get a new token', () => {
  const text = formatBanner({
    ...embedded,
    masterKey: { source: 'file', file: '/d/master.key' },
    adminToken: { token: { source: 'file', sha256: 'b'.repeat(64) }, file: '/d/admin-token.sha256' },
  });
  assert.ok(!text.includes('ADMIN_API_TOKEN='));
  assert.ok(!text.includes('created now'));
  assert.match(text, /Admin token +the one printed on the first start .*\/d\/admin-token\.sha256/);
});

test('real backends are named by host only, never with credentials', () => {
  const text = formatBanner({
    ...embedded,
    plan: { bus: 'nats', db: 'postgres', state: 'redis' },
    urls: {
      nats: 'nats://u:natspass@n1:4222, nats://n2:4222',
      database: 'postgres://app:dbpass@db.internal:5432/tollgate',
      redis: 'rediss://:redispass@cache:6380',
    },
    dataDir: undefined,
    pgliteDir: undefined,
    masterKey: { source: 'env', file: '/d/master.key' },
    adminToken: { token: { source: 'env' }, file: '/d/admin-token.sha256' },
  });
  assert.match(text, /Bus +NATS at n1:4222, n2:4222/);
  assert.match(text, /Database +PostgreSQL at db\.internal:5432/);
  assert.match(text, /State +Redis at cache:6380/);
  assert.match(text, /Master key +from TOLLGATE_MASTER_KEY/);
  for (const secret of ['natspass', 'dbpass', 'redispass', 'u:', 'app:']) assert.ok(!text.includes(secret), secret);
  assert.ok(!text.includes('Data dir'));
  assert.ok(!text.includes('embedded-mode.md'));
});

test('a service-only process shows only what it serves; IPv6 binds are bracketed', () => {
  const text = formatBanner({
    ...embedded,
    services: ['otp-verifier'],
    allServices: false,
    listeners: [],
    health: { bind: '::', port: 9464 },
    adminToken: undefined,
  });
  assert.match(text, /^Tollgate is running: otp-verifier in this process\./);
  assert.ok(!text.includes('RADIUS') && !text.includes('Admin API') && !text.includes('Console'));
  assert.match(text, /http:\/\/\[::1\]:9464\/readyz/);
});

test("listeners come in the order given, each in its protocol's form; all services are named as such", () => {
  const text = formatBanner(embedded);
  assert.match(text, /^Tollgate is running: all services in this process\./);
  assert.ok(text.indexOf('RADIUS') < text.indexOf('Admin API'));
  assert.match(text, /Try it: +curl .* http:\/\/127\.0\.0\.1:8080\/api\/v1\/settings\/policy/);
  const some = formatBanner({ ...embedded, services: ['admin-api', 'radius-gateway'], allServices: false });
  assert.match(some, /^Tollgate is running: admin-api, radius-gateway in this process\./);
});

test('hostsOf keeps hosts and drops what cannot be parsed', () => {
  assert.equal(hostsOf(undefined), '');
  assert.equal(hostsOf('nats://a:1,not a url'), 'a:1, ?');
});

test('one-box default: the admin API on loopback says so and names the key that opens it', () => {
  const text = formatBanner({
    ...embedded,
    listeners: [admin({ bind: '127.0.0.1', port: 8080, key: 'ADMIN_BIND', oneBoxDefault: true })],
    health: { bind: '0.0.0.0', port: 9464, key: 'METRICS_BIND' },
  });
  assert.match(
    text,
    /Admin API +http:\/\/127\.0\.0\.1:8080\/api\/v1 +\(listening on 127\.0\.0\.1:8080, this machine only; ADMIN_BIND opens it\)/,
  );
  assert.match(
    text,
    /Health +http:\/\/127\.0\.0\.1:9464\/readyz +\(also \/healthz, \/metrics; listening on 0\.0\.0\.0:9464, all interfaces; METRICS_BIND restricts it\)/,
  );
});

test('a wildcard bind names the key that restricts it; a configured address is shown as it is', () => {
  const open = formatBanner({ ...embedded, listeners: [admin({ bind: '::', port: 8080, key: 'ADMIN_BIND' })] });
  assert.match(open, /Admin API +http:\/\/\[::1\]:8080\/api\/v1 +\(listening on \[::\]:8080, all interfaces; ADMIN_BIND restricts it\)/);
  const chosen = formatBanner({ ...embedded, listeners: [admin({ bind: '192.0.2.10', port: 8080, key: 'ADMIN_BIND' })] });
  assert.match(chosen, /Admin API +http:\/\/192\.0\.2\.10:8080\/api\/v1 +\(listening on 192\.0\.2\.10:8080\)/);
  const loopbackByChoice = formatBanner({
    ...embedded,
    listeners: [admin({ bind: '127.0.0.1', port: 8080, key: 'ADMIN_BIND', oneBoxDefault: false })],
  });
  assert.match(loopbackByChoice, /\(listening on 127\.0\.0\.1:8080\)/);
});
