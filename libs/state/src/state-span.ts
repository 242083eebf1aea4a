/**
 * The span of one state-store operation: `redis <COMMAND>` (or `memory <COMMAND>` for the
 * embedded store) with db.system and the operation; never the key (it can hold a user name)
 * nor the value. Made only inside a recording span, like the database's.
 */
import { trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';

const tracer = trace.getTracer('tollgate.state');

export function withStateSpan<T>(backend: 'redis' | 'memory', command: string, op: string, run: () => Promise<T>): Promise<T> {
  // Not traced: the command's own promise, no wrapper around it.
  if (!trace.getActiveSpan()?.isRecording()) return run();
  return inSpan(backend, command, op, run);
}

async function inSpan<T>(backend: 'redis' | 'memory', command: string, op: string, run: () => Promise<T>): Promise<T> {
  const span = tracer.startSpan(`${backend} ${command}`, {
    kind: SpanKind.CLIENT,
    attributes:
      backend === 'redis'
        ? { 'db.system': 'redis', 'db.system.name': 'redis', 'db.operation.name': command, 'tollgate.state.op': op }
        : { 'tollgate.state.backend': 'memory', 'db.operation.name': command, 'tollgate.state.op': op },
  });
  try {
    return await run();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    span.setStatus({ code: SpanStatusCode.ERROR, message: typeof code === 'string' ? code : ((error as Error)?.name ?? 'error') });
    throw error;
  } finally {
    span.end();
  }
}
