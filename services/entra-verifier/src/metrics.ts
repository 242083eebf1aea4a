/**
 * The entra-verifier's Prometheus metrics. Labels are outcomes and AADSTS codes only, never a
 * user name, password or token.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { EntraOutcome } from '@tollgate/contracts';
import type { PoolTotals } from './ropc-client.js';
import { outcomeForAadsts } from './aadsts-codes.js';

/**
 * The `aadsts` label: a code of our table as itself, any other as `other` (the label set stays
 * bounded whatever Entra answers), empty when the answer had none.
 */
export function aadstsLabel(code: number | undefined): string {
  if (code === undefined) return '';
  return outcomeForAadsts(code) === undefined ? 'other' : String(code);
}

export interface EntraMetrics {
  answered(outcome: EntraOutcome, aadsts: number | undefined): void;
  called(outcome: EntraOutcome, latencyMs: number): void;
  shortCircuited(): void;
}

export function registerEntraMetrics(registry: Registry, poolTotals: () => PoolTotals): EntraMetrics {
  const requests = new Counter({
    name: 'tollgate_entra_requests_total',
    help: 'Entra password checks answered, by outcome and AADSTS code (empty when none, other when not a known code)',
    labelNames: ['outcome', 'aadsts'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'tollgate_entra_request_duration_seconds',
    help: 'Duration of calls to the Entra token endpoint, by outcome',
    labelNames: ['outcome'] as const,
    buckets: [0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10],
    registers: [registry],
  });
  const shortCircuits = new Counter({
    name: 'tollgate_entra_throttle_short_circuits_total',
    help: 'Checks answered "throttled" without calling Entra because it asked us to wait (Retry-After)',
    registers: [registry],
  });
  // Gauges read the pool counters at scrape time: nothing is done per request.
  const gauge = (name: string, help: string, pick: (t: PoolTotals) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(pick(poolTotals()));
      },
    });
  gauge('tollgate_entra_pool_connections', 'Open connections to the Entra token endpoint', (t) => t.connected);
  gauge('tollgate_entra_pool_free_connections', 'Open connections to the Entra token endpoint with no request on them', (t) => t.free);
  gauge('tollgate_entra_pool_running_requests', 'Requests to the Entra token endpoint in flight', (t) => t.running);
  gauge('tollgate_entra_pool_pending_requests', 'Requests waiting for a connection to the Entra token endpoint', (t) => t.pending);

  return {
    answered(outcome, aadsts) {
      requests.inc({ outcome, aadsts: aadstsLabel(aadsts) });
    },
    called(outcome, latencyMs) {
      duration.observe({ outcome }, latencyMs / 1000);
    },
    shortCircuited() {
      shortCircuits.inc();
    },
  };
}
