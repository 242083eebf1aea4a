import { trace } from '@opentelemetry/api';
import { BusError, OtpVerifyRequest, type OtpOutcome, type OtpVerifyResponse } from '@tollgate/contracts';
import { errorFields, type Logger } from '@tollgate/logging';
import { isLocked, otpFailureKey } from '@tollgate/runtime';
import type { StateStore } from '@tollgate/state';
import type { PolicySettings } from '@tollgate/store';
import { verifyTotp } from '@tollgate/totp';
import type { TokenLookup } from './token-directory.js';
import type { OtpMetrics } from './metrics.js';

/**
 * One OTP check, start to finish. Order: user unknown -> disabled -> not enrolled -> code.
 *
 * Lockout: the failure counter lives in the shared state store (`otp:fail:<upn>`) so every
 * replica sees it; it expires `otpLockoutSeconds` after the first failure. The code is checked
 * in memory first and then exactly one state-store operation decides:
 * - wrong code: INCR the counter (atomic). Reaching `otpMaxFailures` answers `locked` (and counts
 *   a lockout); beyond it, `locked` too. Counting with the INCR's own result, rather than
 *   reading the counter before verifying, closes the race in which a burst of parallel guesses
 *   all read "not locked" before any of them is counted.
 * - right code: read the counter; at or over the limit answers `locked` without using the code.
 *   Otherwise the time step is claimed in PostgreSQL (atomic, shared, durable): lost claim ->
 *   `replayed` (not a failure), won -> reset the counter and answer `valid`.
 * A locked user thus gets `locked` whether the code is right or wrong, and no `failures` count
 * that would tell the two apart.
 *
 * A `probe` (otpMode `auto`: do the typed value's last digits make a code?) that misses is
 * `invalid` with no state-store call at all: the value may be a password alone, which is then
 * sent whole to Entra, where a wrong one is counted by the aggregator's password limits. A
 * probe that hits is a code like any other (lock read, step claimed).
 *
 * Fail closed: if the state store or the database fails, this throws; the bus turns that into
 * an `internal` error and the aggregator rejects with `verifier.unavailable`. Answering
 * `locked` instead would lock out every user whenever Redis blinks and record a lie in the auth
 * log. The one exception is the counter reset after a valid code: the code was accepted and its
 * step claimed, and a counter left behind only makes the lockout stricter, so that failure is
 * logged and the answer stays `valid`.
 */
export interface VerifyOtpDeps {
  lookup(upn: string): Promise<TokenLookup>;
  /** The OTP lockout part of the policy (the rest is the aggregator's). */
  policy(): Promise<Pick<PolicySettings, 'otpMaxFailures' | 'otpLockoutSeconds'>>;
  claimStep(upn: string, step: number, requestKey?: string): Promise<boolean>;
  state: Pick<StateStore, 'counter' | 'increment' | 'delete'>;
  now(): number;
  metrics: OtpMetrics;
  logger: Logger;
}

/** The wrong-code counter's key (shared with the aggregator's lock check, see lockout-policy.ts). */
export const failureKey = otpFailureKey;

export function createVerifyOtp(deps: VerifyOtpDeps): (payload: unknown) => Promise<OtpVerifyResponse> {
  const { metrics, logger } = deps;

  /** `left()`: what remains of the requester's time, which every state-store call must fit in. */
  async function decide(
    upn: string,
    code: string,
    requestKey: string | undefined,
    probe: boolean,
    left: () => number | undefined,
  ): Promise<OtpVerifyResponse> {
    const within = () => {
      const timeoutMs = left();
      return timeoutMs === undefined ? undefined : { timeoutMs };
    };
    const entry = await deps.lookup(upn);
    if (entry.status !== 'enrolled') return { outcome: entry.status };
    const policy = await deps.policy();
    const key = failureKey(upn);
    const result = verifyTotp({
      secret: entry.seed,
      code,
      digits: entry.digits,
      period: entry.period,
      algorithm: entry.algorithm,
      nowMs: deps.now(),
    });

    if (!result.valid && probe) return { outcome: 'invalid' };
    if (!result.valid) {
      const failures = await deps.state.increment(key, policy.otpLockoutSeconds * 1000, within());
      if (failures < policy.otpMaxFailures) return { outcome: 'invalid', failures };
      if (failures === policy.otpMaxFailures) {
        metrics.lockout();
        logger.warn({ upn, failures, lockoutSeconds: policy.otpLockoutSeconds }, 'second factor locked after too many wrong codes');
      }
      return { outcome: 'locked' };
    }

    const failures = await deps.state.counter(key, within());
    if (isLocked(failures, policy)) return { outcome: 'locked' };
    if (!(await deps.claimStep(upn, result.step, requestKey))) {
      metrics.replay();
      logger.warn({ upn, drift: result.drift }, 'code refused: its time step was already used');
      return { outcome: 'replayed' };
    }
    if (failures > 0) {
      await deps.state.delete(key, within()).catch((error: unknown) => {
        logger.warn({ upn, err: errorFields(error) }, 'could not reset the failure counter after a valid code');
      });
    }
    if (result.drift !== 0) logger.debug({ upn, drift: result.drift }, 'code accepted from a neighbouring time step');
    return { outcome: 'valid' };
  }

  return async (payload) => {
    const started = process.hrtime.bigint();
    const parsed = OtpVerifyRequest.safeParse(payload);
    if (!parsed.success) {
      // Name the field, never its value: the payload carries the code.
      const field = String(parsed.error.issues[0]?.path[0] ?? 'payload');
      throw new BusError('bad_request', `invalid otp verify request: ${field}`);
    }
    const upn = parsed.data.upn.trim().toLowerCase();
    let outcome: OtpOutcome | 'error' = 'error';
    try {
      const { timeoutMs } = parsed.data;
      const deadline = timeoutMs === undefined ? undefined : performance.now() + timeoutMs;
      const response = await decide(upn, parsed.data.code, parsed.data.requestKey, parsed.data.probe === true, () =>
        deadline === undefined ? undefined : Math.max(1, deadline - performance.now()),
      );
      outcome = response.outcome;
      logger.debug({ upn, outcome }, 'otp verified');
      return response;
    } catch (error) {
      logger.error({ upn, err: errorFields(error) }, 'otp verification failed');
      throw new BusError('internal', 'otp verification unavailable');
    } finally {
      metrics.verification(outcome);
      metrics.observeDuration(Number(process.hrtime.bigint() - started) / 1e9);
      trace.getActiveSpan()?.setAttribute('tollgate.otp.outcome', outcome);
    }
  };
}
