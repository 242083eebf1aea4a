/**
 * The span of one database statement: `db.query <statement name or first keyword>` with
 * `db.system` and the operation, never the SQL's parameter values (nor the SQL text: a name or
 * keyword says what ran without the risk of ever quoting a value). Made only inside a recording
 * span (a request's trace): background work (a reload, the auth-log flush) makes no root spans,
 * and with tracing off a query pays one context lookup.
 */
import { trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';

const tracer = trace.getTracer('tollgate.store');

/** SELECT, INSERT, UPDATE, WITH, ... (upper case), or QUERY when there is no leading word. */
export function operationOf(sql: string): string {
  const match = /^\s*(?:--[^\n]*\n\s*)*([A-Za-z]+)/.exec(sql);
  return match ? match[1]!.toUpperCase() : 'QUERY';
}

export async function withQuerySpan<T extends { affected: number; rows: unknown[] }>(
  backend: 'postgres' | 'pglite',
  sql: string,
  statementName: string | undefined,
  run: () => Promise<T>,
): Promise<T> {
  if (!trace.getActiveSpan()?.isRecording()) return run();
  const operation = operationOf(sql);
  const span = tracer.startSpan(`db.query ${statementName ?? operation}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      'db.system': 'postgresql',
      'db.system.name': 'postgresql',
      'db.operation.name': operation,
      ...(statementName ? { 'db.query.summary': statementName } : {}),
      ...(backend === 'pglite' ? { 'tollgate.db.embedded': true } : {}),
    },
  });
  try {
    const result = await run();
    span.setAttribute('db.response.returned_rows', result.rows.length);
    return result;
  } catch (error) {
    // SQLSTATE only: a driver's message may quote a value.
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') span.setAttribute('db.response.status_code', code);
    span.setStatus({ code: SpanStatusCode.ERROR, message: typeof code === 'string' ? code : 'error' });
    throw error;
  } finally {
    span.end();
  }
}
