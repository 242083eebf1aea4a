import type { EntraStandIn } from '@tollgate/testkit';
import type { AdminClient } from './admin-client.js';

/**
 * A running Tollgate, whatever its shape (separate processes on NATS, or one embedded
 * process), as the end-to-end scenarios see it.
 */
export interface Stack {
  readonly mode: string;
  readonly radiusPort: number;
  readonly admin: AdminClient;
  readonly entra: EntraStandIn;
  /** Prometheus text of every process, concatenated. */
  metrics(): Promise<string>;
  /** Every log line every process wrote. */
  output(): string[];
  /** The gateway's decision deadline (RADIUS_DECISION_TIMEOUT_MS) in ms. */
  readonly decisionTimeoutMs: number;
  stop(): Promise<void>;
}

/** The environment every mode shares: fast timeouts for tests, loopback Entra stand-in allowed. */
export const COMMON_TEST_ENV = {
  RADIUS_BIND: '127.0.0.1',
  ADMIN_BIND: '127.0.0.1',
  ENTRA_ALLOW_LOOPBACK_AUTHORITY: 'true',
  ENTRA_TIMEOUT_MS: '1500',
  VERIFIER_TIMEOUT_MS: '2000',
  RADIUS_DECISION_TIMEOUT_MS: '2500',
  AUTH_EVENTS_FLUSH_MS: '20',
  LOG_LEVEL: 'info',
};
