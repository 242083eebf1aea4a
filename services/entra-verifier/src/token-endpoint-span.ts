/**
 * The span of one call to the Entra token endpoint: `POST token endpoint` (CLIENT) with the
 * authority host, the HTTP status, the AADSTS code and the classified outcome. Never the URL's
 * path or query, the form body (username, password), nor any part of the answer beyond its
 * code. Made only inside a recording span (a verification's trace).
 */
import { trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { RopcResult } from './ropc-client.js';

const tracer = trace.getTracer('tollgate.entra');

export async function withTokenEndpointSpan(origin: string, run: () => Promise<RopcResult>): Promise<RopcResult> {
  if (!trace.getActiveSpan()?.isRecording()) return run();
  const url = new URL(origin);
  const span = tracer.startSpan('POST token endpoint', {
    kind: SpanKind.CLIENT,
    attributes: {
      'http.request.method': 'POST',
      'server.address': url.hostname,
      'server.port': Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
    },
  });
  try {
    const result = await run();
    if (result.httpStatus > 0) span.setAttribute('http.response.status_code', result.httpStatus);
    if (result.aadsts !== undefined) span.setAttribute('tollgate.aadsts', result.aadsts);
    span.setAttribute('tollgate.entra.outcome', result.outcome);
    if (result.failure) {
      span.setAttribute('error.type', result.errorCode ?? result.failure);
      span.setStatus({ code: SpanStatusCode.ERROR, message: result.failure });
    }
    return result;
  } finally {
    span.end();
  }
}
