#!/usr/bin/env node
// `make bench`: starts a Tollgate stack on this machine (each service its own process on the
// local NATS, PostgreSQL and Redis, `--mode all` for one process on them, or `--mode embedded`: the
// one-box install, `tollgate run all` with no servers: in-process bus, PGlite, memory state), enrols one user per request
// (a TOTP step can be used once, so every request needs its own user), and drives the gateway with
// many concurrent PAP Access-Requests against the Entra stand-in at a chosen latency. Prints
// requests/s and latency percentiles. A benchmark, not a test: it asserts nothing.
//
//   node scripts/bench.mjs [--requests 20000] [--concurrency 256] [--entra-latency 50] [--mode split|all|embedded]
//                          [--rss-every 100000]   (print each process's RSS after every so many requests)
//                          [--extra-users 1000000]  (that many more enrolled users in the database, never signing in)
//                          [--heap-snapshot DIR]  (after the run, a V8 heap snapshot of every Tollgate process in DIR)
//                          [--profile DIR]   (write a V8 CPU profile of every Tollgate process to DIR)
//                          [--trace]         (tracing on: OTLP http/protobuf to a local sink that discards it)
//                          [--syslog]        (syslog on: every decision to a local UDP socket that discards it)
//                          [--node-options "--max-semi-space-size=32 ..."]   (V8/node flags for every Tollgate process)
import dgram from 'node:dgram';
import http from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { BusSeal, Keyring, randomToken } from '../libs/security/dist/index.js';
import { generateTotp } from '../libs/totp/dist/index.js';
import { START_ORDER } from '../libs/launcher/dist/index.js';
import { PgliteDb, migrate } from '../libs/store/dist/index.js';
import {
  TEST_NATS_URL,
  TEST_REDIS_URL,
  createTestDatabase,
  encodeAccessRequest,
  freeTcpPort,
  freeUdpPort,
  metricValue,
  startEntraStandIn,
  startTollgate,
  uniquePrefix,
} from '../libs/testkit/dist/index.js';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '256' },
    'entra-latency': { type: 'string', default: '50' },
    mode: { type: 'string', default: 'split' },
    warmup: { type: 'string', default: '500' },
    profile: { type: 'string' },
    trace: { type: 'boolean', default: false },
    syslog: { type: 'boolean', default: false },
    'node-options': { type: 'string', default: '' },
    'rss-every': { type: 'string', default: '0' },
    'heap-snapshot': { type: 'string' },
    'extra-users': { type: 'string', default: '0' },
  },
});
if (!['split', 'all', 'embedded'].includes(args.mode)) throw new Error(`--mode split|all|embedded, not ${args.mode}`);
const EMBEDDED = args.mode === 'embedded';
const RSS_EVERY = Number(args['rss-every']);
const REQUESTS = Number(args.requests);
const EXTRA_USERS = Number(args['extra-users']);
const CONCURRENCY = Number(args.concurrency);
const ENTRA_LATENCY = Number(args['entra-latency']);
const WARMUP = Math.min(Number(args.warmup), REQUESTS);
const TOTAL = REQUESTS + WARMUP;
const DOMAIN = 'bench.example';
const SECRET = randomToken(16);
const SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

const log = (...parts) => console.error('[bench]', ...parts);

// Embedded: the one-box install's data directory, its cluster made and filled by this script before
// Tollgate starts on it (as after a first start); otherwise a fresh PostgreSQL database.
const dataDir = EMBEDDED ? mkdtempSync(path.join(os.tmpdir(), 'tollgate-bench-')) : undefined;
const database = EMBEDDED ? undefined : await createTestDatabase('bench');
const users = Array.from({ length: TOTAL }, (_, i) => ({ upn: `user${i}@${DOMAIN}`, password: `Bench-Pass-${i}!` }));
const entra = await startEntraStandIn({
  latencyMs: ENTRA_LATENCY,
  users: Object.fromEntries(users.map((u) => [u.upn, { password: u.password, kind: 'mfa' }])),
});
const prefix = uniquePrefix('bench');
const radiusPort = await freeUdpPort();
const masterKey = Keyring.generateBase64();
const sealer = Keyring.fromBase64(masterKey);
const env = {
  TOLLGATE_MASTER_KEY: masterKey,
  NATS_URL: TEST_NATS_URL,
  NATS_SUBJECT_PREFIX: prefix,
  DATABASE_URL: database?.url,
  REDIS_URL: EMBEDDED ? undefined : TEST_REDIS_URL,
  REDIS_KEY_PREFIX: `${prefix}:`,
  ADMIN_API_TOKEN: randomToken(),
  ADMIN_PORT: String(await freeTcpPort()),
  ADMIN_BIND: '127.0.0.1',
  RADIUS_AUTH_PORT: String(radiusPort),
  RADIUS_BIND: '127.0.0.1',
  PORTAL_PORT: '0',
  PORTAL_BIND: '127.0.0.1',
  ENTRA_ALLOW_LOOPBACK_AUTHORITY: 'true',
  LOG_LEVEL: 'warn',
  DATABASE_POOL_MAX: '20',
};
if (EMBEDDED) Object.assign(env, { NATS_URL: undefined, TOLLGATE_DATA_DIR: dataDir });

// Sinks for traces and syslog: they read what arrives and count it, nothing more.
const received = { otlpBytes: 0, otlpExports: 0, syslogMessages: 0 };
const closers = [];
if (args.trace) {
  const sink = http.createServer((req, res) => {
    req.on('data', (c) => (received.otlpBytes += c.length));
    req.on('end', () => {
      received.otlpExports++;
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise((r) => sink.listen(0, '127.0.0.1', r));
  Object.assign(env, {
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sink.address().port}`,
    OTEL_TRACES_SAMPLER: process.env.OTEL_TRACES_SAMPLER ?? 'parentbased_always_on',
  });
  closers.push(
    () =>
      new Promise((r) => {
        sink.closeAllConnections();
        sink.close(r);
      }),
  );
} else {
  Object.assign(env, { OTEL_EXPORTER_OTLP_ENDPOINT: undefined, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: undefined });
}
if (args.syslog) {
  const sink = dgram.createSocket('udp4');
  sink.on('message', () => received.syslogMessages++);
  await new Promise((r) => sink.bind(0, '127.0.0.1', r));
  Object.assign(env, {
    SYSLOG_ENABLED: 'true',
    SYSLOG_HOST: '127.0.0.1',
    SYSLOG_PORT: String(sink.address().port),
    SYSLOG_PROTOCOL: 'udp',
  });
  closers.push(() => new Promise((r) => sink.close(r)));
}

/** Enrols everyone straight into the database in batches (the admin API would take minutes for this many). */
async function enrol(query) {
  for (let i = 0; i < users.length; i += 1000) {
    const batch = users.slice(i, i + 1000);
    await query(`INSERT INTO users (upn) SELECT unnest($1::text[])`, [batch.map((u) => u.upn)]);
    await query(
      `INSERT INTO totp_tokens (upn, secret_sealed, digits, period, algorithm, source) SELECT unnest($1::text[]), unnest($2::text[]), 6, 30, 'SHA1', 'generated'`,
      [batch.map((u) => u.upn), batch.map((u) => sealer.seal(SEED, `totp:${u.upn}`))],
    );
  }
  log(`enrolled ${users.length} users`);
  if (EXTRA_USERS > 0) {
    // The rest of a large directory: users with tokens who do not sign in during the run.
    const started = Date.now();
    for (let i = 0; i < EXTRA_USERS; i += 5000) {
      const upns = Array.from({ length: Math.min(5000, EXTRA_USERS - i) }, (_, j) => `other${i + j}@${DOMAIN}`);
      await query(`INSERT INTO users (upn) SELECT unnest($1::text[])`, [upns]);
      await query(
        `INSERT INTO totp_tokens (upn, secret_sealed, digits, period, algorithm, source) SELECT unnest($1::text[]), unnest($2::text[]), 6, 30, 'SHA1', 'generated'`,
        [upns, upns.map((upn) => sealer.seal(SEED, `totp:${upn}`))],
      );
    }
    await query('ANALYZE users');
    await query('ANALYZE totp_tokens');
    log(`enrolled ${EXTRA_USERS} more users (not signing in) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
}
if (EMBEDDED) {
  // The embedded database is one process's: filled here, closed, then Tollgate opens it.
  mkdirSync(path.join(dataDir, 'pglite'), { mode: 0o700 });
  const pglite = await PgliteDb.open({ dataDir: path.join(dataDir, 'pglite') });
  await migrate(pglite);
  await enrol((sql, params) => pglite.query(sql, params));
  await pglite.close();
}

// Split: one process per service, started in the launcher's order (dependencies first).
// The enrolment portal is not on the RADIUS path: left out of the split (in `all` it idles on a free port).
const targets = args.mode === 'split' ? START_ORDER.filter((m) => m.secrets !== 'portal-key').map((m) => [m.name]) : [['all']];
const processes = [];
for (const t of targets)
  processes.push(
    await startTollgate({
      targets: t,
      env,
      ...(EMBEDDED ? { readyTimeoutMs: 120_000 } : {}),
      nodeArgs: [
        ...args['node-options'].split(' ').filter(Boolean),
        ...(args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`, `--cpu-prof-name=${t.join('+')}.cpuprofile`] : []),
        ...(args['heap-snapshot'] ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${args['heap-snapshot']}`] : []),
      ],
    }),
  );
log(`stack up: ${targets.map((t) => t.join('+')).join(', ')}`);
await new Promise((r) => setTimeout(r, 2000));
// Each process's RSS, with the V8 heap in use / its size and the memory outside it (buffers, WebAssembly).
const heapFigures = async (p) => {
  const text = await p.metrics().catch(() => '');
  const mib = (name) => (metricValue(text, name) / 2 ** 20).toFixed(0);
  return `heap ${mib('nodejs_heap_size_used_bytes')}/${mib('nodejs_heap_size_total_bytes')}, external ${mib('nodejs_external_memory_bytes')}`;
};
const memoryLine = async () => {
  const rss = memoryByProgram();
  const heaps = await Promise.all(processes.map(heapFigures));
  return rss.map(({ name, rss }, i) => `${name} ${rss.toFixed(0)} (${heaps[i]})`).join(', ');
};
const idleMemory = await memoryLine();
const admin = async (method, path, body) => {
  const res = await fetch(`http://127.0.0.1:${env.ADMIN_PORT}${path}`, {
    method,
    headers: { authorization: `Bearer ${env.ADMIN_API_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
};
// Settings and the RADIUS client through the admin API, so the running services hear of them.
await admin('PUT', '/api/v1/settings/entra', {
  enabled: true,
  tenantId: entra.tenant,
  clientId: entra.clientId,
  domain: DOMAIN,
  authorityHost: entra.url,
});
await admin('POST', '/api/v1/radius-clients', { name: 'bench', address: '127.0.0.1', secret: SECRET });
if (!EMBEDDED) {
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  await enrol((sql, params) => db.query(sql, params));
  await db.end();
}

// The load generator: sockets of 256 identifiers each, one request in flight per identifier.
const sockets = Array.from({ length: Math.ceil(CONCURRENCY / 256) }, () =>
  dgram.createSocket({ type: 'udp4', recvBufferSize: 8 << 20, sendBufferSize: 8 << 20 }),
);
await Promise.all(sockets.map((s) => new Promise((r) => s.bind(0, '127.0.0.1', r))));
const pending = new Map();
for (const [si, socket] of sockets.entries()) {
  socket.on('message', (msg) => {
    const key = si * 256 + msg[1];
    const entry = pending.get(key);
    if (!entry) return;
    pending.delete(key);
    clearTimeout(entry.timer);
    entry.resolve(msg[0] === 2 ? 'accept' : 'reject');
  });
}

function send(slot, user) {
  const socket = sockets[Math.floor(slot / 256)];
  const identifier = slot % 256;
  const code = generateTotp({ secret: SEED, digits: 6, period: 30, algorithm: 'SHA1', nowMs: Date.now() });
  const packet = encodeAccessRequest({ secret: SECRET, identifier, username: user.upn, password: user.password + code });
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      pending.delete(slot);
      resolve('timeout');
    }, 5000);
    pending.set(slot, { resolve, timer });
    socket.send(packet, radiusPort, '127.0.0.1');
  });
}

/** `onProgress(done)` after every `every` answers (0: never). */
async function drive(list, every = 0, onProgress = () => undefined) {
  const latencies = [];
  const outcomes = { accept: 0, reject: 0, timeout: 0 };
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, list.length) }, async (_, slot) => {
      while (next < list.length) {
        const user = list[next++];
        const t0 = performance.now();
        outcomes[await send(slot, user)]++;
        latencies.push(performance.now() - t0);
        if (every && latencies.length % every === 0) onProgress(latencies.length);
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, latencies: latencies.sort((a, b) => a - b), outcomes };
}

// CPU seconds used per program (from /proc), so the report can say where the time went.
function cpuByProgram() {
  const ticks = new Map();
  const names = new Map(processes.map((p, i) => [p.child.pid, targets[i].join('+')]));
  names.set(process.pid, 'load generator + Entra stand-in');
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const name = names.get(Number(pid)) ?? { 'nats-server': 'nats-server', 'redis-server': 'redis-server', postgres: 'postgresql' }[comm];
      if (!name) continue;
      ticks.set(name, (ticks.get(name) ?? 0) + Number(fields[11]) + Number(fields[12]));
    } catch {
      // the process ended while we looked
    }
  }
  return ticks;
}

/** Resident memory of each Tollgate process now and at its peak (VmRSS, VmHWM from /proc), in MiB. */
function memoryByProgram() {
  return processes.map((p, i) => {
    try {
      const status = readFileSync(`/proc/${p.child.pid}/status`, 'utf8');
      const kib = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
      return { name: targets[i].join('+'), rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
    } catch {
      return { name: targets[i].join('+'), rss: Number.NaN, peak: Number.NaN };
    }
  });
}

/**
 * The bus seal's own cost, measured here in one loop: sealing and opening one request and its
 * reply as the services do (an authentication makes three such exchanges: decide, OTP, Entra).
 */
function sealCost(iterations = 20000) {
  const seal = BusSeal.fromKeyring(sealer);
  const subject = `${prefix}.auth.v1.decide`;
  const request = new TextEncoder().encode(
    JSON.stringify({
      requestId: 'r'.repeat(16),
      requestKey: 'a'.repeat(32),
      budgetMs: 2700,
      sourceAddress: '127.0.0.1',
      username: `user1@${DOMAIN}`,
      password: 'Bench-Pass-1!123456',
      client: { id: 'c1', name: 'bench', address: '127.0.0.1' },
    }),
  );
  const reply = new TextEncoder().encode(JSON.stringify({ decision: 'accept', reason: 'ok', upn: `user1@${DOMAIN}` }));
  const exchange = () => {
    const sent = seal.sealRequest(subject, request, 2700);
    const opened = seal.openRequest(subject, sent.data);
    if (!opened.ok || !seal.openReply(subject, sent, seal.sealReply(subject, opened.value.id, reply)).ok)
      throw new Error('seal round trip failed');
  };
  for (let i = 0; i < 2000; i++) exchange();
  const t0 = process.cpuUsage();
  for (let i = 0; i < iterations; i++) exchange();
  const used = process.cpuUsage(t0);
  return (used.user + used.system) / iterations;
}
const sealUs = sealCost();

const gatewayMetrics = () => processes[processes.length - 1].metrics();
await drive(users.slice(0, WARMUP));
const before = await gatewayMetrics();
const cpuBefore = os.cpus().map((c) => c.times);
const programsBefore = cpuByProgram();
// RSS per process after every RSS_EVERY requests: the same figures at the 2nd and the 5th say whether memory grows.
const rssLines = [];
const run = await drive(users.slice(WARMUP), RSS_EVERY, (done) => {
  const at = rssLines.push('') - 1;
  void memoryLine().then((line) => {
    rssLines[at] = `  after ${String(done).padStart(7)}: ${line}`;
    log(`rss${rssLines[at]}`);
  });
});
const cpuAfter = os.cpus().map((c) => c.times);
const programsAfter = cpuByProgram();
const after = await gatewayMetrics();

const pct = (p) => run.latencies[Math.min(run.latencies.length - 1, Math.floor((p / 100) * run.latencies.length))].toFixed(1);
const busy =
  cpuAfter.reduce((sum, t, i) => {
    const b = cpuBefore[i];
    const total = Object.values(t).reduce((a, v) => a + v, 0) - Object.values(b).reduce((a, v) => a + v, 0);
    return sum + (total - (t.idle - b.idle)) / total;
  }, 0) / cpuAfter.length;
const dropped = metricValue(after, 'tollgate_radius_dropped_total') - metricValue(before, 'tollgate_radius_dropped_total');

console.log(`
Tollgate benchmark — ${new Date().toISOString()}
machine:        ${os.cpus().length} x ${os.cpus()[0].model}, Node ${process.version}
stack:          ${EMBEDDED ? 'embedded: all services in one process, in-process bus, PGlite, memory state' : `${args.mode === 'all' ? 'all services in one process' : 'each service in its own process'} on NATS, PostgreSQL, Redis (local)`}
load average:   ${os
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(' ')} (1, 5, 15 min, at the end)
entra latency:  ${ENTRA_LATENCY} ms (local stand-in of the v2.0 token endpoint)
requests:       ${REQUESTS} (after ${WARMUP} warm-up), concurrency ${CONCURRENCY}, one user per request
users enrolled: ${TOTAL + EXTRA_USERS}${EXTRA_USERS > 0 ? ` (${EXTRA_USERS} of them not signing in)` : ''}
tracing:        ${args.trace ? `on, sampler ${env.OTEL_TRACES_SAMPLER}${process.env.OTEL_TRACES_SAMPLER_ARG ? ` ${process.env.OTEL_TRACES_SAMPLER_ARG}` : ''} (${received.otlpExports} OTLP exports, ${(received.otlpBytes / 1024).toFixed(0)} KiB so far)` : 'off'}
syslog:         ${args.syslog ? `on, UDP (${received.syslogMessages} messages received)` : 'off'}
result:         ${run.outcomes.accept} accept, ${run.outcomes.reject} reject, ${run.outcomes.timeout} timeout, ${dropped} dropped by the gateway
throughput:     ${(REQUESTS / run.seconds).toFixed(0)} authentications/s (${run.seconds.toFixed(2)} s)
latency (ms):   p50 ${pct(50)}  p90 ${pct(90)}  p99 ${pct(99)}  max ${run.latencies[run.latencies.length - 1].toFixed(1)}
cpu busy:       ${(busy * 100).toFixed(0)}% of ${os.cpus().length} cores (load generator and Entra stand-in included)
bus sealing:    ${sealUs.toFixed(1)} µs CPU per sealed request + reply (seal and open both), ~${(3 * sealUs).toFixed(0)} µs per authentication (3 exchanges)
cpu per authentication, by program (µs):
${[...programsAfter]
  .map(([name, t]) => [name, (((t - (programsBefore.get(name) ?? 0)) / 100) * 1e6) / REQUESTS])
  .sort((a, b) => b[1] - a[1])
  .map(([name, us]) => `  ${name.padEnd(34)} ${us.toFixed(0).padStart(6)}`)
  .join('\n')}
memory (MiB RSS at the end, peak), by program${args['node-options'] ? ` (node options: ${args['node-options']})` : ''}:
${memoryByProgram()
  .sort((a, b) => b.peak - a.peak)
  .map(({ name, rss, peak }) => `  ${name.padEnd(34)} ${rss.toFixed(0).padStart(6)} ${peak.toFixed(0).padStart(6)}`)
  .join('\n')}
memory idle (MiB RSS 2 s after start, before any request): ${idleMemory}${
  rssLines.length ? `\nmemory (MiB RSS) after every ${RSS_EVERY} requests:\n${rssLines.join('\n')}` : ''
}
`);

if (process.env.BENCH_DUMP_METRICS) {
  const all = (await Promise.all(processes.map((p) => p.metrics()))).join('\n');
  console.log(
    all
      .split('\n')
      .filter((l) =>
        /^tollgate_(radius_dropped|aggregator_verifier_errors|radius_requests_total|entra_requests_total|otp_verifications_total|aggregator_(decide|verifier)_duration_seconds_(sum|count)|entra_request_duration_seconds_(sum|count)|otp_verify_duration_seconds_(sum|count)|radius_request_duration_seconds_(sum|count))/.test(
          l,
        ),
      )
      .join('\n'),
  );
}
if (args['heap-snapshot']) {
  // One process at a time (a snapshot stops its process while written); done when its file stops growing.
  const dir = args['heap-snapshot'];
  for (const [i, p] of processes.entries()) {
    const mine = () => readdirSync(dir).find((f) => f.includes(`.${p.child.pid}.`) && f.endsWith('.heapsnapshot'));
    process.kill(p.child.pid, 'SIGUSR2');
    let size = -1;
    for (;;) {
      await new Promise((r) => setTimeout(r, 1000));
      const file = mine();
      const now = file ? statSync(path.join(dir, file)).size : -1;
      if (now > 0 && now === size) break;
      size = now;
    }
    log(`heap snapshot of ${targets[i].join('+')}: ${path.join(dir, mine())}`);
  }
}
for (const s of sockets) s.close();
await Promise.all(processes.map((p) => p.stop()));
await entra.close();
for (const close of closers) await close();
await database?.drop();
if (dataDir) rmSync(dataDir, { recursive: true, force: true });
