/**
 * What the aggregator adds to its handler span (the `decide process` span the bus opens for
 * each request): the decision and its reason, the AADSTS code Entra answered, and the digit
 * count of the user's token (`tollgate.otp.digits`), which is how the typed password was split.
 * Never the password, the code, or the user name.
 */
import { trace, SpanStatusCode } from '@opentelemetry/api';
import type { DecideResponse } from '@tollgate/contracts';

const SYSTEM_FAILURES: ReadonlySet<string> = new Set(['verifier.unavailable', 'internal_error', 'entra.unavailable']);

function current() {
  const span = trace.getActiveSpan();
  return span?.isRecording() ? span : undefined;
}

export function noteDigits(digits: number): void {
  current()?.setAttribute('tollgate.otp.digits', digits);
}

export function noteDecision(response: Pick<DecideResponse, 'decision' | 'reason' | 'aadsts'>): void {
  const span = current();
  if (!span) return;
  span.setAttributes({ 'tollgate.decision': response.decision, 'tollgate.reason': response.reason });
  if (response.aadsts !== undefined) span.setAttribute('tollgate.aadsts', response.aadsts);
  if (SYSTEM_FAILURES.has(response.reason)) span.setStatus({ code: SpanStatusCode.ERROR, message: response.reason });
}
