import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceNameFor, tracingEnabled } from './tracing-settings.js';

test('tracing is on only with an OTLP endpoint and the SDK not disabled', () => {
  const cases: Array<[Record<string, string>, boolean]> = [
    [{}, false],
    [{ OTEL_SERVICE_NAME: 'x' }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, true],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }, true],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'TRUE' }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'false' }, true],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'otlp' }, true],
  ];
  for (const [env, expected] of cases) assert.equal(tracingEnabled(env), expected, JSON.stringify(env));
});

test('service.name is tollgate-<targets> unless OTEL_SERVICE_NAME says otherwise', () => {
  assert.equal(serviceNameFor(['aggregator'], {}), 'tollgate-aggregator');
  assert.equal(serviceNameFor(['all'], {}), 'tollgate-all');
  assert.equal(serviceNameFor(['aggregator', 'otp-verifier', 'aggregator'], {}), 'tollgate-aggregator+otp-verifier');
  assert.equal(serviceNameFor([], {}), 'tollgate-all');
  assert.equal(serviceNameFor(['aggregator'], { OTEL_SERVICE_NAME: 'agg-eu' }), undefined);
});
