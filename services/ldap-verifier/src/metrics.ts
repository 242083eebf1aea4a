/** The ldap-verifier's Prometheus metrics. Labels are outcomes and sub-codes only, never a user name or password. */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { LdapOutcome } from '@tollgate/contracts';
import { AD_SUB_CODES } from './classify-bind-result.js';
import type { PoolTotals } from './ldap-directory.js';

export interface LdapMetrics {
  answered(outcome: LdapOutcome, subCode: string | undefined, latencyMs: number): void;
  groupsSynced(): void;
}

export function registerLdapMetrics(registry: Registry, poolTotals: () => PoolTotals): LdapMetrics {
  const requests = new Counter({
    name: 'tollgate_ldap_requests_total',
    help: 'LDAP password checks answered, by outcome and Active Directory sub-code (empty when none, other when unknown)',
    labelNames: ['outcome', 'sub_code'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'tollgate_ldap_request_duration_seconds',
    help: 'Duration of LDAP password checks (search and bind), by outcome',
    labelNames: ['outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
    registers: [registry],
  });
  const synced = new Counter({
    name: 'tollgate_ldap_group_syncs_total',
    help: "Sign-ins whose LDAP groups changed the user's Tollgate group memberships",
    registers: [registry],
  });
  const gauge = (name: string, help: string, pick: (t: PoolTotals) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(pick(poolTotals()));
      },
    });
  gauge('tollgate_ldap_pool_connections', 'Open connections to the directory (the service account’s and the bind pool’s)', (t) => t.open);
  gauge('tollgate_ldap_pool_idle_connections', 'Bind connections open with no bind on them', (t) => t.idle);
  gauge('tollgate_ldap_pool_pending_binds', 'Binds waiting for a connection', (t) => t.waiting);

  return {
    answered(outcome, subCode, latencyMs) {
      const label = subCode === undefined ? '' : AD_SUB_CODES[subCode] === undefined ? 'other' : subCode;
      requests.inc({ outcome, sub_code: label });
      duration.observe({ outcome }, latencyMs / 1000);
    },
    groupsSynced() {
      synced.inc();
    },
  };
}
