/**
 * Who reads which environment variable, from the manifests: every process reads the process
 * configuration (and honours OTEL_*), the SYSLOG_* keys matter to the services that send to syslog
 * (their manifests' `syslog` backend), and each service reads its own shape. The README's
 * configuration table is generated from this (scripts/config-table.mjs).
 */
import type { ConfigSource } from '@tollgate/config';
import { syslogConfigShape } from '@tollgate/syslog';
import { processConfigShape } from './process-config.js';
import { MANIFESTS } from './service-registry.js';
import { tracingConfigDocs } from './tracing-config-docs.js';

export function configSources(): ConfigSource[] {
  const syslogKeys = new Set(Object.keys(syslogConfigShape));
  const processOnly = Object.fromEntries(Object.entries(processConfigShape).filter(([key]) => !syslogKeys.has(key)));
  const syslogUsers = MANIFESTS.filter((m) => m.backends.includes('syslog')).map((m) => m.name);
  return [
    { usedBy: 'all', shape: processOnly },
    { usedBy: 'all', shape: tracingConfigDocs },
    { usedBy: syslogUsers.join(', '), shape: syslogConfigShape },
    ...MANIFESTS.map((m) => ({ usedBy: m.name, shape: m.config })),
  ];
}
