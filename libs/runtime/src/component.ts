import type { Registry } from 'prom-client';
import type { Logger } from '@tollgate/logging';
import type { Bus } from '@tollgate/bus';
import type { Db } from '@tollgate/store';
import type { StateStore } from '@tollgate/state';
import type { Keyring } from '@tollgate/security';
import type { AuditSink } from '@tollgate/syslog';

export type { AuditSink } from '@tollgate/syslog';

/** What the launcher hands every service: shared connections, built once per process. */
export interface ServiceContext {
  env: Record<string, string | undefined>;
  logger: Logger;
  bus: Bus;
  /** Prefix of every NATS subject (`NATS_SUBJECT_PREFIX`). */
  subjectPrefix: string;
  db: Db;
  state: StateStore;
  keyring: Keyring;
  /**
   * The key of the portal's bus subjects (32 bytes): derived from the master key, or in a process
   * without one, `PORTAL_BUS_KEY`. A portal derives its own keys from it (cookies, CSRF tokens).
   */
  portalKey?: Uint8Array;
  metrics: Registry;
  /**
   * Where decisions and admin changes are also sent (a syslog collector), when configured
   * (SYSLOG_ENABLED). Sending never blocks; absent, nothing is sent.
   */
  syslog?: AuditSink;
}

/**
 * One running part of a process. `start` returns once the component takes work; `stop`
 * returns once it has stopped taking work and finished what it held. The runner starts
 * components in order and stops them in reverse.
 */
export interface Component {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** False while the component cannot take work (the process's /readyz reflects it). */
  ready?(): boolean;
  /**
   * Where each of its manifest's `listens` entries is bound, by listener name, once started
   * (the port actually bound, so a configured 0 shows the one chosen).
   */
  listening?(): Readonly<Record<string, { bind: string; port: number }>>;
}
