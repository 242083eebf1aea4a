/** The portal's Prometheus metrics. Labels are route names and outcomes only, never a user, link or code. */
import { Counter, Histogram, type Registry } from 'prom-client';

export type PortalRoute =
  | 'landing'
  | 'signin'
  | 'callback'
  | 'link_check'
  | 'link_signin'
  | 'enrol'
  | 'enrol_start'
  | 'enrol_confirm'
  | 'signout'
  | 'asset'
  | 'other';

export interface PortalMetrics {
  handled(route: PortalRoute, outcome: string, seconds: number): void;
}

export function registerPortalMetrics(registry: Registry): PortalMetrics {
  const requests = new Counter({
    name: 'tollgate_portal_requests_total',
    help: 'Enrolment portal requests, by route and outcome (ok, a portal failure reason, csrf, busy, unavailable, error)',
    labelNames: ['route', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'tollgate_portal_request_duration_seconds',
    help: 'Duration of enrolment portal requests (including the admin API’s answer), by route',
    labelNames: ['route'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
    registers: [registry],
  });
  return {
    handled(route, outcome, seconds) {
      requests.inc({ route, outcome });
      duration.observe({ route }, seconds);
    },
  };
}
