import {
  otlpTestEnv,
  startOtlpReceiver,
  startSyslogUdpReceiver,
  type EntraStandIn,
  type OtlpReceiver,
  type ReceivedSpan,
  type SyslogUdpReceiver,
} from '@tollgate/testkit';
import type { AdminClient } from './admin-client.js';

/**
 * A running Tollgate, whatever its shape (separate processes on NATS, or one embedded
 * process), as the end-to-end scenarios see it.
 */
export interface Stack {
  readonly mode: string;
  readonly radiusPort: number;
  /** A second radius-gateway replica's port, where the shape has one (a follow-up may land on either). */
  readonly secondRadiusPort?: number;
  readonly admin: AdminClient;
  readonly entra: EntraStandIn;
  /** Prometheus text of every process, concatenated. */
  metrics(): Promise<string>;
  /** Every log line every process wrote. */
  output(): string[];
  /** Every span every process exported (OTLP, to the stack's own receiver). */
  spans(): ReceivedSpan[];
  /** Every syslog message (RFC 5424, UDP) the processes sent to the stack's own collector. */
  syslog(): string[];
  /** The gateway's decision deadline (RADIUS_DECISION_TIMEOUT_MS) in ms. */
  readonly decisionTimeoutMs: number;
  stop(): Promise<void>;
}

/**
 * What every stack observes its processes with: an OTLP/HTTP receiver for their traces and a
 * UDP syslog collector, so the scenarios can check what leaves a process besides its logs.
 */
export interface Observers {
  otlp: OtlpReceiver;
  syslog: SyslogUdpReceiver;
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startObservers(): Promise<Observers> {
  const otlp = await startOtlpReceiver();
  const syslog = await startSyslogUdpReceiver();
  return {
    otlp,
    syslog,
    env: {
      ...otlpTestEnv(otlp),
      SYSLOG_ENABLED: 'true',
      SYSLOG_HOST: '127.0.0.1',
      SYSLOG_PORT: String(syslog.port),
      SYSLOG_PROTOCOL: 'udp',
    },
    async close() {
      await otlp.close();
      await syslog.close();
    },
  };
}

/** The environment every mode shares: fast timeouts for tests, loopback Entra stand-in allowed. */
export const COMMON_TEST_ENV = {
  RADIUS_BIND: '127.0.0.1',
  ADMIN_BIND: '127.0.0.1',
  PORTAL_BIND: '127.0.0.1',
  PORTAL_PORT: '0',
  ENTRA_ALLOW_LOOPBACK_AUTHORITY: 'true',
  ENTRA_TIMEOUT_MS: '1500',
  VERIFIER_TIMEOUT_MS: '2000',
  RADIUS_DECISION_TIMEOUT_MS: '2500',
  AUTH_EVENTS_FLUSH_MS: '20',
  LOG_LEVEL: 'info',
};
