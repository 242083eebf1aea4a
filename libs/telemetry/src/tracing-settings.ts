/**
 * When a Tollgate process traces, and under which name, decided from the standard OTEL_*
 * variables alone (pure, so the rules are tested as a table). Tracing is on when an OTLP
 * endpoint is configured and the SDK is not disabled; off, nothing is registered and the
 * OpenTelemetry API stays its no-op self.
 */
export type Env = Record<string, string | undefined>;

const TRUE = new Set(['true', '1', 'yes', 'on']);

export function tracingEnabled(env: Env): boolean {
  if (TRUE.has((env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase())) return false;
  if (
    (env.OTEL_TRACES_EXPORTER ?? '')
      .split(',')
      .map((s) => s.trim())
      .includes('none')
  )
    return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());
}

/**
 * `OTEL_SERVICE_NAME` when set (the SDK reads it itself); otherwise `tollgate-<targets>`, the
 * targets joined by `+` (`tollgate-aggregator`, `tollgate-all`, `tollgate-aggregator+otp-verifier`).
 */
export function serviceNameFor(targets: readonly string[], env: Env): string | undefined {
  if (env.OTEL_SERVICE_NAME?.trim()) return undefined;
  const unique = [...new Set(targets)];
  return `tollgate-${unique.length ? unique.join('+') : 'all'}`;
}
