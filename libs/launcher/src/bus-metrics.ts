/**
 * Prometheus metrics of the bus requests this process sends: how each ended (`ok`, `timeout`,
 * `no_responders`, `bad_request`, `internal`, `closed`) and how long it took, by subject; and
 * the messages it refused because they failed their seal check (a forged answer, a replayed or
 * unsealed request, a peer with another key). The subjects are the installation's few fixed
 * ones, so the labels stay bounded.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import type { BusObserver } from '@tollgate/bus';
import type { Logger } from '@tollgate/logging';
import { RefusalLog } from './refusal-log.js';

export interface BusObserverWithLog extends BusObserver {
  /** Writes the summary of refusals not yet logged (at stop). */
  flush(): void;
}

export function createBusObserver(registry: Registry, logger: Logger): BusObserverWithLog {
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
  const refused = new Counter({
    name: 'tollgate_bus_refused_messages_total',
    help: 'Bus messages dropped because they failed the seal check, by subject, kind (request, reply, event) and reason (unsealed, bad_seal, stale).',
    labelNames: ['subject', 'kind', 'reason'] as const,
    registers: [registry],
  });
  const log = new RefusalLog((counts, first) =>
    logger.warn(
      { refused: counts },
      first
        ? 'refused a bus message that failed its seal check (forged, replayed, or sealed with another master key); further ones are summarised'
        : 'refused bus messages that failed their seal check',
    ),
  );
  return {
    requestDone(subject, outcome, seconds) {
      requests.inc({ subject, outcome });
      duration.observe({ subject }, seconds);
    },
    messageRefused(subject, kind, reason) {
      refused.inc({ subject, kind, reason });
      log.add(`${kind} ${subject}: ${reason}`);
    },
    flush: () => log.flush(),
  };
}
