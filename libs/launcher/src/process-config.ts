import { z } from 'zod';
import { env, loadConfig } from '@tollgate/config';
import { Keyring } from '@tollgate/security';
import { syslogConfigShape } from '@tollgate/syslog';

/** Configuration every Tollgate process reads, whatever its targets. */
export const processConfigShape = {
  /** NATS server(s), comma-separated. Unset: the services of this one process talk in-process. */
  NATS_URL: z.string().min(1).optional(),
  /** Prefix of every subject, so several installations can share one NATS. */
  NATS_SUBJECT_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'must be dot-separated tokens').default('tollgate'),
  NATS_USER: z.string().optional(),
  NATS_PASSWORD: z.string().optional(),
  NATS_TOKEN: z.string().optional(),
  /** A .creds file (JWT + NKey seed) for decentralised NATS auth. */
  NATS_CREDS_FILE: z.string().optional(),
  /** A file holding an NKey seed (SU...). */
  NATS_NKEY_SEED_FILE: z.string().optional(),
  NATS_TLS: env.bool(false),
  NATS_TLS_CA_FILE: z.string().optional(),
  NATS_TLS_CERT_FILE: z.string().optional(),
  NATS_TLS_KEY_FILE: z.string().optional(),
  /** PostgreSQL. Unset: an embedded PostgreSQL (PGlite) in TOLLGATE_DATA_DIR/pglite. */
  DATABASE_URL: env.optionalUrl(['postgres', 'postgresql']),
  DATABASE_POOL_MAX: env.int(10, 1, 500),
  /** Redis. Unset: lockout counters and the retransmission cache live in process memory. */
  REDIS_URL: env.optionalUrl(['redis', 'rediss']),
  REDIS_KEY_PREFIX: z.string().default('tollgate:'),
  /** Longest one Redis command may wait; a request's remaining deadline narrows it further. */
  REDIS_COMMAND_TIMEOUT_MS: env.int(250, 10, 10_000),
  /** How often /readyz's backend probes (Redis PING, PostgreSQL SELECT 1, NATS flush) run. */
  READINESS_PROBE_INTERVAL_MS: env.int(1000, 100, 60_000),
  /** How long a backend probe may take before its backend counts as down. */
  READINESS_PROBE_TIMEOUT_MS: env.int(500, 10, 30_000),
  METRICS_PORT: env.port(9464),
  METRICS_BIND: z.string().default('0.0.0.0'),
  /**
   * 32 random bytes, base64: seals TOTP seeds and shared secrets at rest (AES-256-GCM). Unset:
   * TOLLGATE_DATA_DIR/master.key, created on the first start with an embedded database.
   */
  TOLLGATE_MASTER_KEY: z
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
  /** Where the embedded install keeps its database, master key and admin token hash. */
  TOLLGATE_DATA_DIR: z.string().default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Longest a graceful stop may take before the process exits anyway. */
  SHUTDOWN_TIMEOUT_MS: env.int(15_000, 100, 600_000),
  /** Run the schema migrations at start (every replica may; they take a lock). */
  MIGRATE_ON_START: env.bool(true),
  /** SYSLOG_*: decisions and admin changes to a syslog collector (libs/syslog). */
  ...syslogConfigShape,
};

export type ProcessConfig = ReturnType<typeof loadProcessConfig>;

export function loadProcessConfig(source: Record<string, string | undefined>) {
  return loadConfig('tollgate', processConfigShape, source);
}
