/**
 * The root span of one RADIUS exchange, `radius Access-Request` (SERVER): started when the
 * datagram arrives, ended once the answer has been sent, so the trace shows the whole time a
 * NAS waited. The decide request to the aggregator is its child and carries its context over
 * NATS. What the datagram turned out to be is noted on it: the RADIUS client, the decision and
 * its reason (`radius.client`, `tollgate.decision`, `tollgate.reason`), or why it was dropped
 * (`tollgate.drop.cause`, renamed `radius datagram dropped`). The user name (`enduser.id`) only
 * when TOLLGATE_TRACE_USERNAMES is true; never the password, never the shared secret.
 */
import { trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { tracingInstalled } from '@tollgate/bus';
import type { DecisionReason } from '@tollgate/contracts';
import type { DropCause } from './gateway-metrics.js';

const tracer = trace.getTracer('tollgate.radius-gateway');

/** Reasons that mean the system, not the user, failed: the span is marked as an error. */
const SYSTEM_FAILURES: ReadonlySet<string> = new Set(['timeout', 'verifier.unavailable', 'internal_error']);

/** Runs `fn` (handling the datagram and sending the answer) inside a new root span (none with tracing off). */
export function withDatagramSpan<T>(fn: () => Promise<T>): Promise<T> {
  if (!tracingInstalled()) return fn();
  return tracer.startActiveSpan(
    'radius Access-Request',
    { kind: SpanKind.SERVER, root: true, attributes: { 'network.transport': 'udp' } },
    async (span) => {
      try {
        return await fn();
      } finally {
        span.end();
      }
    },
  );
}

function current() {
  const span = trace.getActiveSpan();
  return span?.isRecording() ? span : undefined;
}

export function noteDecision(
  client: string,
  decision: { decision: 'accept' | 'reject' | 'challenge'; reason: DecisionReason },
  userName: string | undefined,
  traceUsernames: boolean,
): void {
  const span = current();
  if (!span) return;
  span.setAttributes({ 'radius.client': client, 'tollgate.decision': decision.decision, 'tollgate.reason': decision.reason });
  if (traceUsernames && userName) span.setAttribute('enduser.id', userName);
  if (SYSTEM_FAILURES.has(decision.reason)) span.setStatus({ code: SpanStatusCode.ERROR, message: decision.reason });
}

export function noteDrop(cause: DropCause, client: string | undefined): void {
  const span = current();
  if (!span) return;
  span.updateName('radius datagram dropped');
  span.setAttribute('tollgate.drop.cause', cause);
  if (client) span.setAttribute('radius.client', client);
}

export function noteOther(kind: 'Status-Server' | 'retransmission', client: string): void {
  const span = current();
  if (!span) return;
  span.updateName(kind === 'Status-Server' ? 'radius Status-Server' : 'radius Access-Request retransmission');
  span.setAttribute('radius.client', client);
}
