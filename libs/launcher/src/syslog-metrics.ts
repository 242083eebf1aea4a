/**
 * Prometheus metrics of the syslog sender, read from its counters at scrape time: messages
 * sent, dropped because the queue was full (the collector slow or away), and lost to socket
 * errors; the queue's length and whether the collector is connected.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { SyslogStats } from '@tollgate/syslog';

export function registerSyslogMetrics(registry: Registry, stats: () => SyslogStats): void {
  new Counter({
    name: 'tollgate_syslog_messages_total',
    help: 'Syslog messages by outcome: sent, dropped (queue full) or failed (socket error).',
    labelNames: ['outcome'],
    registers: [registry],
    collect() {
      const s = stats();
      this.reset();
      this.inc({ outcome: 'sent' }, s.sent);
      this.inc({ outcome: 'dropped' }, s.dropped);
      this.inc({ outcome: 'failed' }, s.failed);
    },
  });
  new Gauge({
    name: 'tollgate_syslog_queue_length',
    help: 'Syslog messages waiting to be sent.',
    registers: [registry],
    collect() {
      this.set(stats().queued);
    },
  });
  new Gauge({
    name: 'tollgate_syslog_connected',
    help: '1 while the syslog collector is connected (UDP: the socket is open), else 0.',
    registers: [registry],
    collect() {
      this.set(stats().connected ? 1 : 0);
    },
  });
}
