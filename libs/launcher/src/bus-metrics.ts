/**
 * Prometheus metrics of the bus requests this process sends: how each ended (`ok`, `timeout`,
 * `no_responders`, `bad_request`, `internal`, `closed`) and how long it took, by subject. The
 * subjects are the installation's few fixed ones, so the label stays bounded.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import type { BusObserver } from '@tollgate/bus';

export function createBusMetrics(registry: Registry): BusObserver {
  const requests = new Counter({
    name: 'tollgate_bus_requests_total',
    help: 'Bus (NATS) requests sent, by subject and outcome (ok, timeout, no_responders, bad_request, internal, closed).',
    labelNames: ['subject', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'tollgate_bus_request_duration_seconds',
    help: 'Round trip of bus requests, by subject (failed ones included).',
    labelNames: ['subject'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  return {
    requestDone(subject, outcome, seconds) {
      requests.inc({ subject, outcome });
      duration.observe({ subject }, seconds);
    },
  };
}
