import { z } from 'zod';
import { env, loadConfig, describeKey } from '@tollgate/config';
import { Keyring } from '@tollgate/security';
import { syslogConfigShape } from '@tollgate/syslog';

/** Configuration every Tollgate process reads, whatever its targets. */
export const processConfigShape = {
  /** NATS server(s), comma-separated. Unset: the services of this one process talk in-process. */
  NATS_URL: describeKey(
    z.string().min(1).optional(),
    'NATS server(s), comma-separated; unset, the services of one `tollgate run all` process talk in-process, and a single-service target is refused',
    '(unset: in-process bus)',
  ),
  /** Prefix of every subject, so several installations can share one NATS. */
  NATS_SUBJECT_PREFIX: describeKey(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'must be dot-separated tokens')
      .default('tollgate'),
    'prefix of every subject, so several installations can share one NATS',
  ),
  NATS_USER: describeKey(z.string().optional(), 'NATS user/password authentication: the user (with `NATS_PASSWORD`)'),
  NATS_PASSWORD: describeKey(z.string().optional(), 'NATS user/password authentication: the password (with `NATS_USER`)'),
  NATS_TOKEN: describeKey(z.string().optional(), 'NATS token authentication'),
  /** A .creds file (JWT + NKey seed) for decentralised NATS auth. */
  NATS_CREDS_FILE: describeKey(z.string().optional(), 'NATS `.creds` file (JWT + NKey)'),
  /** A file holding an NKey seed (SU...). */
  NATS_NKEY_SEED_FILE: describeKey(z.string().optional(), 'file holding an NKey seed'),
  NATS_TLS: describeKey(env.bool(false), 'use TLS to NATS (implied by the TLS file keys)'),
  NATS_TLS_CA_FILE: describeKey(z.string().optional(), 'CA to trust for NATS TLS'),
  NATS_TLS_CERT_FILE: describeKey(z.string().optional(), 'client certificate for NATS TLS (with `NATS_TLS_KEY_FILE`)'),
  NATS_TLS_KEY_FILE: describeKey(z.string().optional(), 'key of that client certificate'),
  /** PostgreSQL. Unset: an embedded PostgreSQL (PGlite) in TOLLGATE_DATA_DIR/pglite. */
  DATABASE_URL: describeKey(
    env.optionalUrl(['postgres', 'postgresql']),
    'PostgreSQL connection URL; unset, an embedded PostgreSQL (PGlite) in `TOLLGATE_DATA_DIR/pglite`, for one process only',
    '(unset: embedded PostgreSQL)',
  ),
  DATABASE_POOL_MAX: describeKey(env.int(10, 1, 500), 'PostgreSQL connections per process'),
  /** Redis. Unset: lockout counters and the retransmission cache live in process memory. */
  REDIS_URL: describeKey(
    env.optionalUrl(['redis', 'rediss']),
    'Redis URL (`redis://` or `rediss://`); unset, lockout counters and the retransmission cache live in process memory',
    '(unset: process memory)',
  ),
  REDIS_KEY_PREFIX: describeKey(z.string().default('tollgate:'), 'prefix of every Redis key'),
  REDIS_COMMAND_TIMEOUT_MS: describeKey(
    env.int(250, 10, 10_000),
    "longest one Redis command may wait for its answer (a request's remaining deadline narrows it); an outage fails commands within it, never queues them",
  ),
  READINESS_PROBE_INTERVAL_MS: describeKey(
    env.int(1000, 100, 60_000),
    'how often `/readyz` probes Redis (PING), PostgreSQL (`SELECT 1`) and NATS (a flush)',
  ),
  READINESS_PROBE_TIMEOUT_MS: describeKey(
    env.int(500, 10, 30_000),
    'a probe not answered within this marks its backend down (`/readyz` 503, the cause named)',
  ),
  METRICS_PORT: describeKey(env.port(9464), 'HTTP port of `/healthz`, `/readyz`, `/metrics`'),
  METRICS_BIND: describeKey(
    z.string().default('0.0.0.0'),
    'address of that HTTP endpoint: all interfaces by default; `127.0.0.1` (or one address) restricts it',
  ),
  /**
   * 32 random bytes, base64: seals TOTP seeds and shared secrets at rest (AES-256-GCM). Unset:
   * TOLLGATE_DATA_DIR/master.key, created on the first start with an embedded database.
   */
  TOLLGATE_MASTER_KEY: describeKey(
    z
      .string()
      .refine((v) => {
        try {
          Keyring.fromBase64(v);
          return true;
        } catch {
          return false;
        }
      }, 'must be 32 bytes encoded as base64')
      .optional(),
    '32 random bytes, base64: seals TOTP seeds and shared secrets at rest (AES-256-GCM), and (through a key derived for that purpose) every bus message, so every service of one installation needs the same key; unset, read from `TOLLGATE_DATA_DIR/master.key`, created (mode 0600) on the first start with the embedded database; required with `DATABASE_URL`',
    '(unset: `master.key`)',
  ),
  /** Where the embedded install keeps its database, master key and admin token hash. */
  TOLLGATE_DATA_DIR: describeKey(
    z.string().default('./data'),
    'where a one-box install keeps `master.key`, `admin-token.sha256` and the embedded database (`pglite/`); created 0700, and refused at start if group or others have any access to it; see docs/embedded-mode.md',
  ),
  LOG_LEVEL: describeKey(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    '`fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`',
  ),
  /** Longest a graceful stop may take before the process exits anyway. */
  SHUTDOWN_TIMEOUT_MS: describeKey(env.int(15_000, 100, 600_000), 'longest a graceful stop may take'),
  /** Run the schema migrations at start (every replica may; they take a lock). */
  MIGRATE_ON_START: describeKey(env.bool(true), 'apply schema migrations at start'),
  /** SYSLOG_*: decisions and admin changes to a syslog collector (libs/syslog). */
  ...syslogConfigShape,
};

export type ProcessConfig = ReturnType<typeof loadProcessConfig>;

export function loadProcessConfig(source: Record<string, string | undefined>) {
  return loadConfig('tollgate', processConfigShape, source);
}
