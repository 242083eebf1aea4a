import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { startTelemetry } from './start-telemetry.js';

test('a collector that refuses the spans is reported in the log, once, not per export', async () => {
  let posts = 0;
  const collector: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      posts++;
      res.writeHead(400, { 'content-type': 'text/plain' }).end('no');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  // The SDK reads its settings from the process environment.
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  process.env.OTEL_BSP_SCHEDULE_DELAY = '20';
  process.env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE = '2';
  // The exporter leaves each request's timeout timer running: keep it short so the test ends soon.
  process.env.OTEL_EXPORTER_OTLP_TIMEOUT = '1000';
  const warnings: Array<[object, string]> = [];
  const telemetry = await startTelemetry({
    targets: ['aggregator'],
    logger: { warn: (details, message) => warnings.push([details, message]) },
  });
  assert.equal(telemetry.enabled, true);
  for (let i = 0; i < 10; i++) trace.getTracer('t').startSpan(`s${i}`).end();
  await telemetry.shutdown(5000);
  collector.closeAllConnections();
  await new Promise<void>((resolve) => collector.close(() => resolve()));
  assert.ok(posts >= 2, `several exports were refused (${posts})`);
  assert.equal(warnings.length, 1, JSON.stringify(warnings));
  assert.match(warnings[0]![1], /^tracing: /);
});
