import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * The gateway's Prometheus metrics. Labels are bounded sets (client names come from the
 * admin's configuration, reasons and causes are fixed lists); no user input becomes a label.
 */
export const DropCauses = [
  'unknown_client',
  'malformed',
  'unsupported_code',
  'missing_message_authenticator',
  'bad_message_authenticator',
  'proxy_state_without_ma',
  'retransmit_in_flight',
  'response_too_large',
] as const;
export type DropCause = (typeof DropCauses)[number];

export interface GatewayMetrics {
  requests: Counter<'client' | 'decision' | 'reason'>;
  invalidAttributes: Counter<'attribute' | 'problem'>;
  replyAttributesDropped: Counter<'problem'>;
  dropped: Counter<'cause'>;
  retransmits: Counter;
  duration: Histogram<'decision'>;
  statusServer: Counter;
}

/** Registers (or, when the registry already has them, reuses) the gateway's metrics. */
export function registerGatewayMetrics(registry: Registry): GatewayMetrics {
  const existing = <T>(name: string): T | undefined => registry.getSingleMetric(name) as T | undefined;
  return {
    requests:
      existing<Counter<'client' | 'decision' | 'reason'>>('tollgate_radius_requests_total') ??
      new Counter({
        name: 'tollgate_radius_requests_total',
        help: 'Access-Requests answered, by RADIUS client, decision and reason (retransmissions excluded).',
        labelNames: ['client', 'decision', 'reason'],
        registers: [registry],
      }),
    invalidAttributes:
      existing<Counter<'attribute' | 'problem'>>('tollgate_radius_invalid_attributes_total') ??
      new Counter({
        name: 'tollgate_radius_invalid_attributes_total',
        help: 'Access-Requests refused (request.malformed) for a text attribute that is not valid UTF-8, has control characters, is empty, too long or repeated; by attribute and problem.',
        labelNames: ['attribute', 'problem'],
        registers: [registry],
      }),
    replyAttributesDropped:
      existing<Counter<'problem'>>('tollgate_radius_reply_attributes_dropped_total') ??
      new Counter({
        name: 'tollgate_radius_reply_attributes_dropped_total',
        help: "Reply attributes of a decision left out of the Access-Accept because the gateway's dictionary refuses them (unknown, wrong type, too long); by problem.",
        labelNames: ['problem'],
        registers: [registry],
      }),
    dropped:
      existing<Counter<'cause'>>('tollgate_radius_dropped_total') ??
      new Counter({
        name: 'tollgate_radius_dropped_total',
        help: 'Datagrams dropped without an answer, by cause.',
        labelNames: ['cause'],
        registers: [registry],
      }),
    retransmits:
      existing<Counter>('tollgate_radius_retransmits_total') ??
      new Counter({
        name: 'tollgate_radius_retransmits_total',
        help: 'Retransmitted Access-Requests answered from the response cache.',
        registers: [registry],
      }),
    duration:
      existing<Histogram<'decision'>>('tollgate_radius_request_duration_seconds') ??
      new Histogram({
        name: 'tollgate_radius_request_duration_seconds',
        help: 'Time from receiving an Access-Request to sending its answer, by decision.',
        labelNames: ['decision'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5],
        registers: [registry],
      }),
    statusServer:
      existing<Counter>('tollgate_radius_status_server_total') ??
      new Counter({
        name: 'tollgate_radius_status_server_total',
        help: 'Status-Server requests answered (RFC 5997).',
        registers: [registry],
      }),
  };
}

/**
 * The client registry's size and lookups, read at scrape time (nothing is done per packet
 * beyond two plain counters): `result="miss"` is a datagram from an address no RADIUS client
 * covers (also counted as an `unknown_client` drop).
 */
export function registerClientRegistryMetrics(
  registry: Registry,
  source: { readonly size: number; readonly hits: number; readonly misses: number },
): void {
  if (registry.getSingleMetric('tollgate_radius_clients')) return;
  new Gauge({
    name: 'tollgate_radius_clients',
    help: 'RADIUS clients loaded (with a usable secret and address).',
    registers: [registry],
    collect() {
      this.set(source.size);
    },
  });
  new Counter({
    name: 'tollgate_radius_client_lookups_total',
    help: 'Lookups of the RADIUS client table by source address: hit (a client matched) or miss.',
    labelNames: ['result'],
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ result: 'hit' }, source.hits);
      this.inc({ result: 'miss' }, source.misses);
    },
  });
}
