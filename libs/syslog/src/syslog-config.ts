/**
 * SYSLOG_* configuration, part of every process's configuration (only the aggregator and the
 * admin API send anything). Disabled by default. The facility defaults to `authpriv`: these are
 * authentication records naming users, and syslog daemons route authpriv to a restricted file
 * (as sshd's and the appliance's own logins are). The port defaults to 514, or 6514 for TLS.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, env, describeKey } from '@tollgate/config';
import { Facilities, type FacilityName } from './codes.js';
import type { SyslogSettings } from './syslog-sender.js';

export const syslogConfigShape = {
  /** Send decisions and admin changes to a syslog collector. */
  SYSLOG_ENABLED: describeKey(env.bool(false), 'also send decisions and admin changes to syslog (RFC 5424)'),
  /** The collector's host name or address (required when enabled). */
  SYSLOG_HOST: describeKey(z.string().min(1).optional(), 'collector host (required when enabled)'),
  /** The collector's port; 514 for udp/tcp, 6514 for tls when unset. */
  SYSLOG_PORT: describeKey(z.coerce.number().int().min(1).max(65535).optional(), 'collector port', '`514` (`6514` for TLS)'),
  /** udp (RFC 5426), tcp (RFC 6587, octet counting) or tls (RFC 5425). */
  SYSLOG_PROTOCOL: describeKey(z.enum(['udp', 'tcp', 'tls']).default('udp'), '`udp`, `tcp` (octet counting, RFC 6587) or `tls`'),
  /** Facility of every message (authpriv, auth, local0 ... local7, ...). */
  SYSLOG_FACILITY: describeKey(z.enum(Object.keys(Facilities) as [FacilityName, ...FacilityName[]]).default('authpriv'), 'syslog facility'),
  /** PEM file of the CA(s) that signed the collector's certificate (tls); the system's CAs when unset. */
  SYSLOG_TLS_CA_FILE: describeKey(z.string().min(1).optional(), "CA of the collector's certificate", '(system CAs)'),
  /** Messages held while the collector is slow or away; beyond this, new ones are dropped and counted. */
  SYSLOG_QUEUE_MAX: describeKey(
    env.int(10_000, 1, 1_000_000),
    'messages held while the collector is away; beyond that dropped and counted',
  ),
};

export interface SyslogConfig {
  SYSLOG_ENABLED: boolean;
  SYSLOG_HOST?: string | undefined;
  SYSLOG_PORT?: number | undefined;
  SYSLOG_PROTOCOL: 'udp' | 'tcp' | 'tls';
  SYSLOG_FACILITY: FacilityName;
  SYSLOG_TLS_CA_FILE?: string | undefined;
  SYSLOG_QUEUE_MAX: number;
}

/** The sender's settings, or undefined when syslog is off; a ConfigError names a missing host or unreadable CA. */
export function syslogSettings(config: SyslogConfig, component = 'tollgate'): Omit<SyslogSettings, 'logger'> | undefined {
  if (!config.SYSLOG_ENABLED) return undefined;
  if (!config.SYSLOG_HOST) throw new ConfigError(component, 'SYSLOG_HOST', 'is required when SYSLOG_ENABLED is true');
  let ca: Buffer | undefined;
  if (config.SYSLOG_TLS_CA_FILE) {
    try {
      ca = readFileSync(config.SYSLOG_TLS_CA_FILE);
    } catch (error) {
      throw new ConfigError(component, 'SYSLOG_TLS_CA_FILE', `cannot be read (${(error as { code?: string }).code ?? 'error'})`);
    }
  }
  return {
    host: config.SYSLOG_HOST,
    port: config.SYSLOG_PORT ?? (config.SYSLOG_PROTOCOL === 'tls' ? 6514 : 514),
    protocol: config.SYSLOG_PROTOCOL,
    facility: config.SYSLOG_FACILITY,
    queueMax: config.SYSLOG_QUEUE_MAX,
    ...(ca ? { ca } : {}),
  };
}
