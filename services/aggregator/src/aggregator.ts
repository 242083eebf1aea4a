import { errorFields } from '@tollgate/logging';
import { Counter, Histogram } from 'prom-client';
import { BusError, DecideRequest, EntraVerifyResponse, OtpVerifyResponse, subject, type DecideResponse } from '@tollgate/contracts';
import type { Served } from '@tollgate/bus';
import { settings, toUpn } from '@tollgate/store';
import { PolicySource, TtlCache, isLocked, onConfigChanged, otpFailureKey, type Component, type ServiceContext } from '@tollgate/runtime';
import { AuthEventWriter } from './auth-event-writer.js';
import { noteDecision, noteDigits } from './decision-span.js';
import { registerProfileCacheMetrics } from './profile-cache-metrics.js';
import { decide, earlyReject, type EntraVerdict, type LockVerdict, type OtpVerdict } from './policy.js';
import { EarlyRejectPacer } from './early-reject-pacer.js';
import { askWithinBudget, type Budget } from './ask-within-budget.js';
import { UserProfiles } from './user-profiles.js';
import type { AggregatorConfig } from './config.js';

export const SERVICE_VERSION = '1.0.0';

/** Time kept back from the gateway's budget for the decision to travel back to it. */
const REPLY_MARGIN_MS = 30;
/**
 * Kept back from a first Entra attempt for a second, should its replica die: the larger of a
 * fixed floor and a share of the budget (a loaded system needs more than the floor).
 */
const ENTRA_RETRY_RESERVE_MS = 400;
const ENTRA_RETRY_RESERVE_SHARE = 0.2;
/** Time kept back from an Entra attempt for the verifier's answer to travel back. */
const ENTRA_ANSWER_MARGIN_MS = 100;
/** The same for an OTP attempt (its work is local: a lookup, a Redis call, a claim). */
const OTP_ANSWER_MARGIN_MS = 20;

/**
 * Decides one Access-Request: canonical user name, profile (enrolled? digits?) and second-factor
 * lock read in parallel, the early rejects and the split of the typed password (policy.ts), both
 * verifiers asked in parallel, then the policy. A locked user is thus refused before Entra is
 * asked, and early rejects are held as long as a full decision (early-reject-pacer.ts). Fails
 * closed: any error is a reject with a reason.
 */
export class Aggregator implements Component {
  readonly name = 'aggregator';
  readonly #context: ServiceContext;
  readonly #config: AggregatorConfig;
  readonly #profiles: UserProfiles;
  readonly #domain = new TtlCache<'domain', string | null>({ ttlMs: 60_000 });
  readonly #lockout: PolicySource;
  readonly #pacer: EarlyRejectPacer;
  readonly #events: AuthEventWriter;
  readonly #metrics;
  #unsubscribe: (() => void) | undefined;
  #served: Served | undefined;
  #started = false;

  constructor(context: ServiceContext, config: AggregatorConfig) {
    this.#context = context;
    this.#config = config;
    this.#profiles = new UserProfiles(context.db, config.AGGREGATOR_CACHE_TTL_MS);
    registerProfileCacheMetrics(context.metrics, this.#profiles.cache);
    this.#lockout = new PolicySource({ db: context.db, ttlMs: config.AGGREGATOR_CACHE_TTL_MS });
    this.#pacer = new EarlyRejectPacer({ floorMs: config.AGGREGATOR_REJECT_FLOOR_MS });
    const registers = [context.metrics];
    this.#metrics = {
      decisions: new Counter({
        name: 'tollgate_aggregator_decisions_total',
        help: 'Decisions by outcome and reason.',
        labelNames: ['decision', 'reason'],
        registers,
      }),
      duration: new Histogram({
        name: 'tollgate_aggregator_decide_duration_seconds',
        help: 'Time to decide one request, verifiers included.',
        labelNames: ['decision'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        registers,
      }),
      verifier: new Histogram({
        name: 'tollgate_aggregator_verifier_duration_seconds',
        help: 'Round trip to each verifier over the bus.',
        labelNames: ['verifier'],
        buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
        registers,
      }),
      verifierErrors: new Counter({
        name: 'tollgate_aggregator_verifier_errors_total',
        help: 'Bus requests to a verifier that failed, by error code (timeout, no_responders, ...).',
        labelNames: ['verifier', 'code'],
        registers,
      }),
      lockReadFailures: new Counter({
        name: 'tollgate_aggregator_lock_read_failures_total',
        help: 'Second-factor lock reads (state store or lockout policy) that failed; each request was rejected as verifier.unavailable.',
        registers,
      }),
      authLogFailures: new Counter({
        name: 'tollgate_aggregator_auth_log_failures_total',
        help: 'Decisions that could not be written to the auth log.',
        registers,
      }),
    };
    this.#events = new AuthEventWriter({
      db: context.db,
      logger: context.logger,
      flushMs: config.AUTH_EVENTS_FLUSH_MS,
      onFailure: (n) => this.#metrics.authLogFailures.inc(n),
    });
  }

  async start(): Promise<void> {
    this.#unsubscribe = onConfigChanged(this.#context, (event) => {
      if (event.kind === 'users' && event.key) this.#profiles.cache.delete(event.key);
      else if (event.kind === 'users' || event.kind === 'all') this.#profiles.cache.clear();
      if (event.kind === 'settings' || event.kind === 'all') this.#domain.clear();
      this.#lockout.invalidate(event);
    });
    this.#served = await this.#context.bus.serve({
      name: 'aggregator',
      version: SERVICE_VERSION,
      description: 'Applies the MFA-required policy to one Access-Request',
      endpoints: [{ name: 'decide', subject: subject(this.#context.subjectPrefix, 'decide'), handler: (payload) => this.handle(payload) }],
    });
    this.#started = true;
  }

  async stop(): Promise<void> {
    this.#started = false;
    // Stop taking decisions (other replicas get them) and finish the ones in hand first.
    await this.#served?.stop();
    this.#unsubscribe?.();
    await this.#events.flush();
  }

  ready(): boolean {
    return this.#started;
  }

  async handle(payload: unknown): Promise<DecideResponse> {
    const parsed = DecideRequest.safeParse(payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new BusError('bad_request', `${issue?.path.join('.') || 'payload'}: ${issue?.message ?? 'invalid'}`);
    }
    const request = parsed.data;
    const started = performance.now();
    let response: DecideResponse;
    try {
      response = await this.#decide(request, started);
    } catch (error) {
      this.#context.logger.error({ requestId: request.requestId, err: errorFields(error) }, 'decision failed');
      response = { decision: 'reject', reason: 'internal_error' };
    }
    const latencyMs = performance.now() - started;
    this.#metrics.decisions.inc({ decision: response.decision, reason: response.reason });
    this.#metrics.duration.observe({ decision: response.decision }, latencyMs / 1000);
    const audit = {
      requestId: request.requestId,
      username: request.username,
      upn: response.upn,
      client: request.client.name,
      clientAddress: request.sourceAddress ?? request.client.address,
      decision: response.decision,
      reason: response.reason,
      aadsts: response.aadsts,
      latencyMs: Math.round(latencyMs),
    };
    this.#context.logger.info({ audit }, 'decision');
    noteDecision(response);
    this.#context.syslog?.decision(audit);
    this.#events.add({
      at: new Date(),
      requestId: request.requestId,
      username: request.username,
      upn: response.upn ?? null,
      clientName: request.client.name,
      clientAddress: request.sourceAddress ?? request.client.address,
      decision: response.decision,
      reason: response.reason,
      aadsts: response.aadsts ?? null,
      latencyMs: Math.round(latencyMs),
    });
    return response;
  }

  async #decide(request: DecideRequest, started: number): Promise<DecideResponse> {
    // The gateway's remaining wait, less a little for the reply to travel back.
    const budgetMs = Math.min(request.budgetMs ?? this.#config.VERIFIER_TIMEOUT_MS, this.#config.VERIFIER_TIMEOUT_MS) - REPLY_MARGIN_MS;
    const domain = await this.#domain.get('domain', async () => (await settings.get(this.#context.db, 'entra'))?.domain ?? null);
    const upn = toUpn(request.username, domain);
    // The lock is read beside the profile, not after it, so the normal path waits for neither twice.
    const [profile, lock] = await Promise.all([this.#profiles.get(upn), this.#readLock(upn, request.requestId, started + budgetMs)]);
    if (profile.status === 'enrolled') noteDigits(profile.digits);
    const early = earlyReject(profile, lock, request.password);
    if ('reject' in early) {
      await this.#holdEarlyReject(started, budgetMs);
      return { decision: 'reject', reason: early.reject, upn };
    }
    const split = early.ask;
    const deadline = started + budgetMs;
    // An Entra attempt leaves room for one more should its replica die holding it (a live
    // verifier answers within the time it is given).
    const entraCapMs = Math.floor(budgetMs - Math.max(ENTRA_RETRY_RESERVE_MS, budgetMs * ENTRA_RETRY_RESERVE_SHARE));
    const [otp, entra] = await Promise.all([
      this.#askOtp(upn, split.code, request.requestKey, { deadline, attemptCapMs: this.#config.OTP_ATTEMPT_TIMEOUT_MS }),
      this.#askEntra(upn, split.password, { deadline, attemptCapMs: entraCapMs }),
    ]);
    this.#pacer.record(performance.now() - started);
    const decision = decide(otp, entra);
    const aadsts = 'aadsts' in entra ? entra.aadsts : undefined;
    return { ...decision, upn, ...(aadsts === undefined ? {} : { aadsts }) };
  }

  /**
   * Whether the second factor is locked, read from the counter the otp-verifier keeps. Fails
   * closed: a read that fails, or has not answered by the deadline (a stalled Redis), is
   * `unavailable`, never "not locked".
   */
  async #readLock(upn: string, requestId: string, deadline: number): Promise<LockVerdict> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(Object.assign(new Error('lock read timed out'), { code: 'timeout' })),
        Math.max(0, deadline - performance.now()),
      );
    });
    try {
      const read = Promise.all([this.#context.state.counter(otpFailureKey(upn)), this.#lockout.get()]);
      const [failures, policy] = await Promise.race([read, late]);
      return { locked: isLocked(failures, policy) };
    } catch (error) {
      this.#metrics.lockReadFailures.inc();
      this.#context.logger.warn({ requestId, err: errorFields(error) }, 'second-factor lock could not be read: request rejected');
      return { unavailable: true };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits until an early reject has taken as long as a typical decision (see early-reject-pacer.ts). */
  async #holdEarlyReject(started: number, budgetMs: number): Promise<void> {
    const until = started + this.#pacer.targetMs(budgetMs);
    // A timer may fire a fraction of a millisecond early; wait again rather than answer short.
    for (let waitMs = until - performance.now(); waitMs > 0; waitMs = until - performance.now()) {
      await new Promise((resolve) => setTimeout(resolve, Math.ceil(waitMs)));
    }
  }

  async #askOtp(upn: string, code: string, requestKey: string | undefined, budget: Budget): Promise<OtpVerdict> {
    const to = subject(this.#context.subjectPrefix, 'verifyOtp');
    const payload = requestKey === undefined ? { upn, code } : { upn, code, requestKey };
    // The verifier fits its Redis calls into what is left of this attempt, less the way back.
    const reply = await this.#ask('otp', budget, (timeoutMs) =>
      this.#context.bus.request(to, { ...payload, timeoutMs: Math.max(1, Math.floor(timeoutMs - OTP_ANSWER_MARGIN_MS)) }, { timeoutMs }),
    );
    const parsed = OtpVerifyResponse.safeParse(reply);
    return parsed.success ? { outcome: parsed.data.outcome } : { unavailable: true };
  }

  async #askEntra(upn: string, password: string, budget: Budget): Promise<EntraVerdict> {
    const to = subject(this.#context.subjectPrefix, 'verifyEntra');
    // The verifier cuts its token-endpoint call to fit, so a live replica always answers in time.
    const reply = await this.#ask('entra', budget, (timeoutMs) =>
      this.#context.bus.request(
        to,
        { upn, password, timeoutMs: Math.max(1, Math.floor(timeoutMs - ENTRA_ANSWER_MARGIN_MS)) },
        { timeoutMs },
      ),
    );
    const parsed = EntraVerifyResponse.safeParse(reply);
    if (!parsed.success) return { unavailable: true };
    return parsed.data.aadsts === undefined
      ? { outcome: parsed.data.outcome }
      : { outcome: parsed.data.outcome, aadsts: parsed.data.aadsts };
  }

  /** A verifier's answer within the budget; no answer becomes `undefined` (the verdict: unavailable). */
  async #ask(verifier: 'otp' | 'entra', budget: Budget, send: (timeoutMs: number) => Promise<unknown>): Promise<unknown> {
    const end = this.#metrics.verifier.startTimer({ verifier });
    try {
      return await askWithinBudget(send, budget, {
        onError: (error) => this.#metrics.verifierErrors.inc({ verifier, code: error instanceof BusError ? error.code : 'internal' }),
      });
    } finally {
      end();
    }
  }
}
