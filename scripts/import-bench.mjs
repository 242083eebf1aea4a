#!/usr/bin/env node
// How long a large directory takes to import through the admin API: starts the admin API (its own
// process, on the local NATS and a fresh PostgreSQL database), posts `--users` users with their
// tokens as Azure MFA OATH CSV files of `--per-file` rows (the route takes 50,000 at most) one
// after the other, and prints the time of each file and the total. A benchmark, not a test: it
// asserts nothing but that every file was taken whole.
//
//   node scripts/import-bench.mjs [--users 1000000] [--per-file 50000]
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Keyring, randomToken } from '../libs/security/dist/index.js';
import { TEST_NATS_URL, TEST_REDIS_URL, createTestDatabase, freeTcpPort, startTollgate, uniquePrefix } from '../libs/testkit/dist/index.js';

const { values: args } = parseArgs({
  options: { users: { type: 'string', default: '1000000' }, 'per-file': { type: 'string', default: '50000' } },
});
const USERS = Number(args.users);
const PER_FILE = Math.min(Number(args['per-file']), 50_000);
const HEADER = 'upn,serial number,secret key,time interval,manufacturer,model';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const log = (...parts) => console.error('[import-bench]', ...parts);

/** A 20-byte seed in base32 (32 characters), as a hardware token's CSV carries it. */
function seed() {
  const bytes = randomBytes(20);
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

function file(first, count) {
  const lines = [HEADER];
  for (let i = first; i < first + count; i++)
    lines.push(`user${i}@import.example,SN${String(i).padStart(9, '0')},${seed()},30,Contoso,HardwareKey`);
  return `${lines.join('\r\n')}\r\n`;
}

const database = await createTestDatabase('import');
const token = randomToken();
const port = await freeTcpPort();
const prefix = uniquePrefix('import');
const admin = await startTollgate({
  targets: ['admin-api'],
  env: {
    TOLLGATE_MASTER_KEY: Keyring.generateBase64(),
    NATS_URL: TEST_NATS_URL,
    NATS_SUBJECT_PREFIX: prefix,
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: `${prefix}:`,
    ADMIN_API_TOKEN: token,
    ADMIN_PORT: String(port),
    ADMIN_BIND: '127.0.0.1',
    LOG_LEVEL: 'warn',
  },
});
const times = [];
try {
  const started = Date.now();
  for (let first = 0; first < USERS; first += PER_FILE) {
    const count = Math.min(PER_FILE, USERS - first);
    const body = file(first, count);
    const t0 = Date.now();
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/tokens/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body,
    });
    const answer = await res.json();
    if (res.status !== 200 || answer.imported !== count)
      throw new Error(`file at ${first}: ${res.status} ${JSON.stringify(answer).slice(0, 300)}`);
    times.push((Date.now() - t0) / 1000);
    log(`${first + count} users imported (${times.at(-1).toFixed(1)} s for this file)`);
  }
  const total = (Date.now() - started) / 1000;
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  const { rows } = await db.query('SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM totp_tokens) AS tokens');
  await db.end();
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`
Tollgate import benchmark — ${new Date().toISOString()}
machine:      ${os.cpus().length} x ${os.cpus()[0].model}, Node ${process.version}
load average: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (1, 5, 15 min, at the end)
imported:     ${USERS} users with tokens, ${times.length} files of ${PER_FILE} rows, POST /api/v1/tokens/import one after the other
in the store: ${rows[0].users} users, ${rows[0].tokens} tokens
total:        ${total.toFixed(0)} s (${(USERS / total).toFixed(0)} users/s)
per file (s): first ${times[0].toFixed(1)}, median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)}, last ${times.at(-1).toFixed(1)}, max ${sorted.at(-1).toFixed(1)}`);
} finally {
  await admin.stop('SIGTERM');
  await database.drop();
}
