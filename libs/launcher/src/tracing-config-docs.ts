/**
 * The OTEL_* variables a Tollgate process honours. The OpenTelemetry SDK and libs/telemetry read
 * them from the environment themselves; they are described here only so the README's
 * configuration table lists them beside the keys Tollgate parses.
 */
import { z } from 'zod';
import { describeKey } from '@tollgate/config';

const text = () => z.string().optional();

export const tracingConfigDocs = {
  OTEL_EXPORTER_OTLP_ENDPOINT: describeKey(text(), 'OTLP collector; setting it turns tracing on', '(unset: tracing off)'),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: describeKey(
    text(),
    'OTLP collector for traces only; setting it turns tracing on',
    '(unset: tracing off)',
  ),
  OTEL_EXPORTER_OTLP_PROTOCOL: describeKey(text(), '`http/protobuf`, `http/json` or `grpc`', '`http/protobuf`'),
  OTEL_SERVICE_NAME: describeKey(text(), 'service name on traces', '`tollgate-<targets>`'),
  OTEL_TRACES_SAMPLER: describeKey(text(), 'e.g. `parentbased_traceidratio` (with `OTEL_TRACES_SAMPLER_ARG`)', '`parentbased_always_on`'),
  OTEL_TRACES_SAMPLER_ARG: describeKey(text(), "the sampler's argument, e.g. `0.1`"),
  OTEL_SDK_DISABLED: describeKey(text(), '`true` turns tracing off', '`false`'),
};
