import { errorFields } from '@tollgate/logging';
import { Counter, Histogram } from 'prom-client';
import {
  BusError,
  CHALLENGE_REASON,
  DecideRequest,
  EntraVerifyResponse,
  FallbackSendResponse,
  FallbackVerifyResponse,
  LdapVerifyResponse,
  OtpVerifyResponse,
  MAX_REPLY_ATTRIBUTES,
  subject,
  type DecideResponse,
  type EntraOutcome,
  type FallbackChannel,
  type GroupPolicy,
  type LdapOutcome,
  type PasswordSource,
} from '@tollgate/contracts';
import type { Served } from '@tollgate/bus';
import { settings, toUpn, type PolicySettings, type VerificationOrder } from '@tollgate/store';
import { PolicySource, TtlCache, isLocked, onConfigChanged, otpFailureKey, type Component, type ServiceContext } from '@tollgate/runtime';
import { AuthEventWriter } from './auth-event-writer.js';
import { noteDecision, noteDigits } from './decision-span.js';
import { registerProfileCacheMetrics } from './profile-cache-metrics.js';
import {
  afterChallengeCode,
  afterFallbackCode,
  afterPasswordStep,
  afterProbe,
  asksEntraAfter,
  decide,
  decideExempt,
  earlyReject,
  earlyRejectExempt,
  passwordLimited,
  type PasswordVerdict,
  type LockVerdict,
  type OtpVerdict,
  type PasswordFailures,
} from './policy.js';
import { clearUserFailures, passwordFailureKeys, recordPasswordFailure, type PasswordFailureKeys } from './password-failures.js';
import { EarlyRejectPacer } from './early-reject-pacer.js';
import { MIN_ATTEMPT_MS, askWithinBudget, type Budget } from './ask-within-budget.js';
import { UserProfiles, type UserProfile } from './user-profiles.js';
import { ChallengeStore, storeKey, type Taken } from './challenge-store.js';
import {
  afterFallbackSend,
  checkFollowUp,
  fallbackRequested,
  issueChallenge,
  type ChallengeBinding,
  type ChallengeRecord,
} from './challenge-state.js';
import { GroupPolicies } from './group-policies.js';
import { clientAllowed } from './group-policy.js';
import { nextPasswordStep, type SourceAnswer } from './password-sources.js';
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
/** The least time given to counting a wrong password (a Redis round trip), even at the budget's end. */
const COUNT_MIN_MS = 25;

/** What the state store says before the verifiers are asked, with the policy it was judged by; or that it could not be read. */
type GateRead = { unavailable: true } | { otpFailures: number; passwords: PasswordFailures; policy: PolicySettings };

/** One decision past its early rejects: what every step of it needs. */
interface Step {
  request: DecideRequest;
  upn: string;
  keys: PasswordFailureKeys;
  gates: Exclude<GateRead, { unavailable: true }>;
  deadline: number;
  otpBudget: Budget;
}

/** What the NAS shows with an Access-Challenge, and after a wrong code. */
export const CHALLENGE_PROMPT = 'Enter the code from your authenticator app';
export const RETRY_PROMPT = 'Wrong code, try again';

/** The least time given to a challenge's state-store call, even at the budget's end. */
const CHALLENGE_STORE_MIN_MS = 25;

const timeLeft = (deadline: number): number => Math.max(CHALLENGE_STORE_MIN_MS, Math.floor(deadline - performance.now()));

/** A challenge is bound to the client, the User-Name as sent and the NAS's source address. */
function bindingOf(request: DecideRequest): ChallengeBinding {
  return { clientId: request.client.id, username: request.username, sourceAddress: request.sourceAddress ?? request.client.address };
}

function aadstsOf(entra: PasswordVerdict): { aadsts?: number } {
  return 'aadsts' in entra && entra.aadsts !== undefined ? { aadsts: entra.aadsts } : {};
}

/** What #decide has read when it hands a member of an exempt group to #decideExempt. */
interface ExemptRead {
  upn: string;
  profile: UserProfile;
  gates: GateRead;
  keys: PasswordFailureKeys;
  started: number;
  budgetMs: number;
  deadline: number;
}

/**
 * Decides one Access-Request: canonical user name, profile (enrolled? digits?), second-factor
 * lock and wrong-password counts read in parallel, the early rejects and the split of the typed
 * password (policy.ts), the verifiers asked (both at once, or Entra only after a valid code in
 * `otp_first` order), then the policy. A locked or rate-limited user is thus refused before Entra
 * is asked, and early rejects are held as long as a full decision (early-reject-pacer.ts). The
 * user's groups (group-policy.ts), read beside the profile, may refuse the client, waive the code
 * (#decideExempt) and give an accept its reply attributes. The client's otpMode says how the
 * code comes: appended, or asked in an Access-Challenge once the password alone is proven
 * (#challengePassword, #answerChallenge), or either (#auto). Fails closed: any error is a reject
 * with a reason.
 */
export class Aggregator implements Component {
  readonly name = 'aggregator';
  readonly #context: ServiceContext;
  readonly #config: AggregatorConfig;
  readonly #profiles: UserProfiles;
  readonly #groupPolicies: GroupPolicies;
  readonly #domain = new TtlCache<'domain', string | null>({ ttlMs: 60_000 });
  readonly #lockout: PolicySource;
  readonly #pacer: EarlyRejectPacer;
  readonly #events: AuthEventWriter;
  readonly #challenges: ChallengeStore;
  readonly #metrics;
  #unsubscribe: (() => void) | undefined;
  #served: Served | undefined;
  #started = false;

  constructor(context: ServiceContext, config: AggregatorConfig) {
    this.#context = context;
    this.#config = config;
    this.#profiles = new UserProfiles(context.db, config.AGGREGATOR_CACHE_TTL_MS, config.AGGREGATOR_CACHE_MAX_ENTRIES);
    this.#groupPolicies = new GroupPolicies(context.db, config.AGGREGATOR_CACHE_TTL_MS, config.AGGREGATOR_CACHE_MAX_ENTRIES);
    registerProfileCacheMetrics(context.metrics, this.#profiles.cache);
    this.#lockout = new PolicySource({ db: context.db, ttlMs: config.AGGREGATOR_CACHE_TTL_MS });
    this.#pacer = new EarlyRejectPacer({ floorMs: config.AGGREGATOR_REJECT_FLOOR_MS });
    this.#challenges = new ChallengeStore(context.state, context.keyring);
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
        help: 'Second-factor lock and wrong-password count reads (state store or policy) that failed; each request was rejected as verifier.unavailable.',
        registers,
      }),
      rateLimited: new Counter({
        name: 'tollgate_aggregator_rate_limited_total',
        help: 'Requests refused as policy.rate_limited without asking Entra, by the limit reached (user, or source when only that one).',
        labelNames: ['limit'],
        registers,
      }),
      countFailures: new Counter({
        name: 'tollgate_aggregator_password_count_failures_total',
        help: 'Wrong Entra passwords that could not be counted (state store failed); the request itself was rejected.',
        registers,
      }),
      challengeStoreFailures: new Counter({
        name: 'tollgate_aggregator_challenge_store_failures_total',
        help: 'Challenges that could not be stored or taken (state store failed); each request was rejected as verifier.unavailable.',
        registers,
      }),
      challengeTampered: new Counter({
        name: 'tollgate_aggregator_challenge_tampered_total',
        help: 'Challenge records in the state store that did not open with the master key (written by someone else); refused as challenge.unknown.',
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
      if (event.kind === 'users' && event.key) this.#groupPolicies.cache.delete(event.key);
      else if (event.kind === 'users' || event.kind === 'groups' || event.kind === 'all') this.#groupPolicies.cache.clear();
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
    const keys = passwordFailureKeys(upn, request);
    const deadline = started + budgetMs;
    // The lock and the counts are read beside the profile, not after it, so the normal path waits for neither twice.
    const [profile, gates, groupPolicy] = await Promise.all([
      this.#profiles.get(upn),
      this.#readGates(upn, keys, request.requestId, deadline),
      this.#groupPolicies.get(upn),
    ]);
    if (profile.status === 'enrolled') noteDigits(profile.digits);
    // The user's groups: a client they do not allow is refused before Entra is asked; an exempt group waives the code.
    if (!clientAllowed(groupPolicy, request.client.name)) {
      await this.#holdEarlyReject(started, budgetMs);
      return { decision: 'reject', reason: 'policy.client_not_allowed', upn };
    }
    if (groupPolicy.mfaExempt) {
      return withReplyAttributes(
        await this.#decideExempt(request, { upn, profile, gates, keys, started, budgetMs, deadline }),
        groupPolicy,
      );
    }
    const lock: LockVerdict =
      'unavailable' in gates
        ? gates
        : { locked: isLocked(gates.otpFailures, gates.policy), rateLimited: passwordLimited(gates.passwords, gates.policy) };
    const otpBudget = { deadline, attemptCapMs: this.#config.OTP_ATTEMPT_TIMEOUT_MS };
    if (request.state !== undefined) {
      return withReplyAttributes(await this.#answerChallenge(request, request.state, upn, profile, lock, gates, otpBudget), groupPolicy);
    }
    const early = earlyReject(profile, lock, request.password, request.client.otpMode ?? 'append');
    if ('reject' in early || 'unavailable' in gates) {
      const reason = 'reject' in early ? early.reject : 'verifier.unavailable';
      if (reason === 'policy.rate_limited' && !('unavailable' in gates)) this.#noteRateLimited(gates);
      await this.#holdEarlyReject(started, budgetMs);
      return { decision: 'reject', reason, upn };
    }
    const entry = early.ask;
    const step: Step = { request, upn, keys, gates, deadline, otpBudget };
    let response: DecideResponse;
    if (entry.kind === 'password_only') response = await this.#challengePassword(step, entry.password);
    else if (entry.kind === 'either') response = await this.#auto(step, entry.whole, entry.split);
    else response = await this.#appended(step, entry, gates.policy.verificationOrder);
    this.#pacer.record(performance.now() - started);
    return withReplyAttributes(response, groupPolicy);
  }

  /** The password with the code appended: both verifiers (at once, or Entra only after a valid code in `otp_first` order). */
  async #appended(step: Step, split: { password: string; code: string }, order: VerificationOrder): Promise<DecideResponse> {
    const { request, upn, deadline, otpBudget } = step;
    let otp: OtpVerdict;
    let entra: PasswordVerdict;
    if (order === 'otp_first') {
      otp = await this.#askOtp(upn, split.code, request.requestKey, otpBudget);
      entra = asksEntraAfter(order, otp) ? await this.#askPassword(request, upn, split.password, deadline) : { notAsked: true };
    } else {
      [otp, entra] = await Promise.all([
        this.#askOtp(upn, split.code, request.requestKey, otpBudget),
        this.#askPassword(request, upn, split.password, deadline),
      ]);
    }
    if ('outcome' in entra) await this.#countPassword(entra.outcome, step);
    return { ...decide(otp, entra), upn, ...aadstsOf(entra) };
  }

  /**
   * `auto`: the typed value's last digits are probed first (a miss is not counted, see
   * OtpVerifyRequest.probe); a valid code is the append flow, with Entra asked about the rest.
   * Otherwise the whole value is the password and the challenge flow follows. Entra is asked once.
   */
  async #auto(step: Step, whole: string, split: { password: string; code: string } | undefined): Promise<DecideResponse> {
    const { request, upn, deadline, otpBudget } = step;
    if (split) {
      const probe = await this.#askOtp(upn, split.code, request.requestKey, otpBudget, true);
      const next = afterProbe(probe);
      if (next === 'appended') {
        const entra = await this.#askPassword(request, upn, split.password, deadline);
        if ('outcome' in entra) await this.#countPassword(entra.outcome, step);
        return { ...decide(probe, entra), upn, ...aadstsOf(entra) };
      }
      if (next !== 'whole') return { ...next, upn };
    }
    return this.#challengePassword(step, whole);
  }

  /**
   * The first step of a challenge: Entra is asked about the password alone. A proven password of
   * an MFA account gets a State and the prompt for the code; any other answer rejects at once.
   */
  async #challengePassword(step: Step, password: string): Promise<DecideResponse> {
    const { request, upn, deadline, gates } = step;
    const entra = await this.#askPassword(request, upn, password, deadline);
    if ('outcome' in entra) await this.#countPassword(entra.outcome, step);
    const after = afterPasswordStep(entra);
    if (!('challenge' in after)) return { ...after, upn, ...aadstsOf(entra) };
    const now = Date.now();
    const record = issueChallenge(bindingOf(request), upn, now, gates.policy.challengeTtlSeconds);
    let state: string;
    try {
      state = await this.#challenges.issue(record, now, timeLeft(deadline));
    } catch (error) {
      return this.#challengeStoreFailed(request.requestId, upn, error);
    }
    return { decision: 'challenge', reason: CHALLENGE_REASON, state, replyMessage: CHALLENGE_PROMPT, upn, ...aadstsOf(entra) };
  }

  /**
   * The follow-up to an Access-Challenge: the State is taken (single use: a tombstone replaces it),
   * checked against the client, User-Name and NAS source it was issued to and its expiry, then the
   * user is checked again (disabled or locked since?) and the typed value asked of the OTP verifier
   * as the code. A wrong code is asked again under the same State, at most three times in all.
   * Entra is not asked again: the record holds the fact that the password was proven.
   */
  async #answerChallenge(
    request: DecideRequest,
    state: string,
    upn: string,
    profile: UserProfile,
    lock: LockVerdict,
    gates: GateRead,
    otpBudget: Budget,
  ): Promise<DecideResponse> {
    let taken: Taken;
    try {
      taken = await this.#challenges.take(state, timeLeft(otpBudget.deadline));
    } catch (error) {
      return this.#challengeStoreFailed(request.requestId, upn, error);
    }
    if (taken?.kind === 'tampered') {
      this.#metrics.challengeTampered.inc();
      this.#context.logger.warn({ requestId: request.requestId, upn }, 'challenge record does not open: refused as unknown');
      return { decision: 'reject', reason: 'challenge.unknown', upn };
    }
    const check = checkFollowUp(taken, bindingOf(request), Date.now());
    if (check.outcome === 'reject') return { decision: 'reject', reason: check.reason, upn };
    if (check.record.upn !== upn) return { decision: 'reject', reason: 'challenge.foreign', upn };
    // The user as of now: disabled, unenrolled or locked since the password step ends the dialogue.
    const now = 'unavailable' in lock ? lock : { locked: lock.locked, rateLimited: false };
    const early = earlyReject(profile, now, request.password, 'challenge');
    if ('reject' in early || 'unavailable' in gates || profile.status !== 'enrolled') {
      return { decision: 'reject', reason: 'reject' in early ? early.reject : 'verifier.unavailable', upn };
    }
    const code = request.password;
    const channel = fallbackRequested(code, request.client.fallbackCodes === true);
    if (channel !== undefined) return this.#sendFallback(request, state, check.record, channel, otpBudget);
    if (check.record.fallback !== undefined) return this.#checkFallback(request, state, check.record, otpBudget);
    const shaped = code.length === profile.digits && /^[0-9]+$/.test(code);
    // A value that cannot be a code (the password again, say) is a wrong attempt, not asked about.
    const otp: OtpVerdict = shaped ? await this.#askOtp(upn, code, request.requestKey, otpBudget) : { outcome: 'invalid' };
    const verdict = afterChallengeCode(check.record, otp);
    if (!('rechallenge' in verdict)) return { ...verdict, upn };
    return this.#rechallenge(request, state, verdict.rechallenge, verdict.reason, RETRY_PROMPT, otpBudget);
  }

  /** Puts the record back under its State and asks again (a wrong code, or a fallback code asked for). */
  async #rechallenge(
    request: DecideRequest,
    state: string,
    record: ChallengeRecord,
    reason: 'otp.invalid' | 'otp.replayed' | 'challenge.fallback_sent' | 'challenge.fallback_unavailable',
    prompt: string,
    budget: Budget,
  ): Promise<DecideResponse> {
    try {
      await this.#challenges.putBack(state, record, Date.now(), timeLeft(budget.deadline));
    } catch (error) {
      return this.#challengeStoreFailed(request.requestId, record.upn, error);
    }
    return { decision: 'challenge', reason, state, replyMessage: prompt, upn: record.upn };
  }

  /**
   * The user typed `email` or `sms` (client with fallbackCodes): the otp-verifier sends a one-time
   * code bound to this challenge, and the same State is asked again without spending an attempt,
   * with a prompt that says where the code went or why none did (challenge-state.ts).
   */
  async #sendFallback(
    request: DecideRequest,
    state: string,
    record: ChallengeRecord,
    channel: FallbackChannel,
    budget: Budget,
  ): Promise<DecideResponse> {
    const to = subject(this.#context.subjectPrefix, 'sendFallbackCode');
    const payload = { upn: record.upn, channel, ref: storeKey(state) };
    const reply = await this.#ask(
      'fallback',
      { deadline: budget.deadline, attemptCapMs: budget.deadline - performance.now() },
      (timeoutMs) =>
        this.#context.bus.request(to, { ...payload, timeoutMs: Math.max(1, Math.floor(timeoutMs - OTP_ANSWER_MARGIN_MS)) }, { timeoutMs }),
    );
    const parsed = FallbackSendResponse.safeParse(reply);
    const step = afterFallbackSend(record, channel, parsed.success ? parsed.data : { unavailable: true }, Date.now());
    return this.#rechallenge(request, state, step.record, step.reason, step.prompt, budget);
  }

  /** A follow-up after a fallback code was sent: the typed value is checked as that code (single use), not as a TOTP code. */
  async #checkFallback(request: DecideRequest, state: string, record: ChallengeRecord, budget: Budget): Promise<DecideResponse> {
    const code = request.password;
    let verdict: Parameters<typeof afterFallbackCode>[1] = { outcome: 'invalid' };
    if (/^[0-9]{6}$/.test(code)) {
      const to = subject(this.#context.subjectPrefix, 'verifyFallbackCode');
      const payload = { upn: record.upn, ref: storeKey(state), code };
      const reply = await this.#ask('fallback', budget, (timeoutMs) =>
        this.#context.bus.request(to, { ...payload, timeoutMs: Math.max(1, Math.floor(timeoutMs - OTP_ANSWER_MARGIN_MS)) }, { timeoutMs }),
      );
      const parsed = FallbackVerifyResponse.safeParse(reply);
      verdict = parsed.success ? parsed.data : { unavailable: true };
    }
    const next = afterFallbackCode(record, verdict);
    if (!('rechallenge' in next)) return { ...next, upn: record.upn };
    return this.#rechallenge(request, state, next.rechallenge, next.reason, RETRY_PROMPT, budget);
  }

  /** A challenge that cannot be stored or read is a reject (fail closed), logged and counted. */
  #challengeStoreFailed(requestId: string, upn: string, error: unknown): DecideResponse {
    this.#metrics.challengeStoreFailures.inc();
    this.#context.logger.warn({ requestId, upn, err: errorFields(error) }, 'challenge state unavailable: request rejected');
    return { decision: 'reject', reason: 'verifier.unavailable', upn };
  }

  /**
   * A member of an `mfaExempt` group: the whole typed value is the password and only Entra is
   * asked (policy.ts `earlyRejectExempt`, `decideExempt`). The user must exist and be enabled but
   * need not be enrolled; the wrong-password limits and counting apply as on the normal path, and
   * early rejects are held the same.
   */
  async #decideExempt(request: DecideRequest, read: ExemptRead): Promise<DecideResponse> {
    const { upn, profile, gates, keys, started, budgetMs, deadline } = read;
    const lock: LockVerdict =
      'unavailable' in gates ? gates : { locked: false, rateLimited: passwordLimited(gates.passwords, gates.policy) };
    const early = earlyRejectExempt(profile, lock);
    if ('reject' in early || 'unavailable' in gates) {
      const reason = 'reject' in early ? early.reject : 'verifier.unavailable';
      if (reason === 'policy.rate_limited' && !('unavailable' in gates)) this.#noteRateLimited(gates);
      await this.#holdEarlyReject(started, budgetMs);
      return { decision: 'reject', reason, upn };
    }
    const entra = await this.#askPassword(request, upn, request.password, deadline);
    if ('outcome' in entra) await this.#countPassword(entra.outcome, { request, keys, gates, deadline });
    this.#pacer.record(performance.now() - started);
    return { ...decideExempt(entra), upn, ...aadstsOf(entra) };
  }

  /**
   * Counts a wrong password (Entra's or LDAP's) for the user and the source, or clears the user's count once
   * the password is proven (only when there is one, so the normal path makes no extra call). Done
   * before answering, so the next attempt, on any replica, sees it. A count that fails is logged
   * and counted; the decision stands either way (a wrong password is a reject already).
   */
  async #countPassword(outcome: EntraOutcome | LdapOutcome, step: Pick<Step, 'request' | 'keys' | 'gates' | 'deadline'>): Promise<void> {
    const { keys, gates, deadline } = step;
    const requestId = step.request.requestId;
    const { policy } = gates;
    const timeoutMs = Math.max(COUNT_MIN_MS, Math.floor(deadline - performance.now()));
    try {
      if (outcome === 'invalid_credentials') {
        if (policy.passwordMaxFailures > 0 || policy.sourceMaxFailures > 0) {
          await recordPasswordFailure(this.#context.state, keys, policy.passwordFailureWindowSeconds, timeoutMs);
        }
      } else if ((outcome === 'password_ok_mfa' || outcome === 'no_mfa' || outcome === 'password_ok') && gates.passwords.user > 0) {
        await clearUserFailures(this.#context.state, keys, timeoutMs);
      }
    } catch (error) {
      this.#metrics.countFailures.inc();
      this.#context.logger.warn({ requestId, err: errorFields(error) }, 'wrong-password count could not be updated');
    }
  }

  #noteRateLimited(gates: Exclude<GateRead, { unavailable: true }>): void {
    const userOver = passwordLimited({ user: gates.passwords.user, source: 0 }, gates.policy);
    this.#metrics.rateLimited.inc({ limit: userOver ? 'user' : 'source' });
  }

  /**
   * The counters the early rejects need (the otp-verifier's wrong codes, the wrong passwords of
   * the user and the source) and the policy that judges them. Fails closed: a read that fails,
   * or has not answered by the deadline (a stalled Redis), is `unavailable`, never "not locked".
   */
  async #readGates(upn: string, keys: PasswordFailureKeys, requestId: string, deadline: number): Promise<GateRead> {
    let timer: NodeJS.Timeout | undefined;
    const timeoutMs = Math.max(1, Math.floor(deadline - performance.now()));
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error('lock read timed out'), { code: 'timeout' })), timeoutMs);
    });
    try {
      // The three counters in one command (MGET): one round trip, one reply to parse.
      const read = Promise.all([
        this.#context.state.counters([otpFailureKey(upn), keys.user, keys.source], { timeoutMs }),
        this.#lockout.get(),
      ]);
      const [[otpFailures = 0, user = 0, source = 0], policy] = await Promise.race([read, late]);
      return { otpFailures, passwords: { user, source }, policy };
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

  async #askOtp(upn: string, code: string, requestKey: string | undefined, budget: Budget, probe = false): Promise<OtpVerdict> {
    const to = subject(this.#context.subjectPrefix, 'verifyOtp');
    const payload = { upn, code, ...(requestKey === undefined ? {} : { requestKey }), ...(probe ? { probe } : {}) };
    // The verifier fits its Redis calls into what is left of this attempt, less the way back.
    const reply = await this.#ask('otp', budget, (timeoutMs) =>
      this.#context.bus.request(to, { ...payload, timeoutMs: Math.max(1, Math.floor(timeoutMs - OTP_ANSWER_MARGIN_MS)) }, { timeoutMs }),
    );
    const parsed = OtpVerifyResponse.safeParse(reply);
    return parsed.success ? { outcome: parsed.data.outcome } : { unavailable: true };
  }

  /**
   * The password asked of the client's sources in order (password-sources.ts): the next only when
   * the one before could not judge it. Each source but the last leaves its share of the time to
   * those after it; with one source (the default, Entra) it has the whole budget.
   */
  async #askPassword(request: DecideRequest, upn: string, password: string, deadline: number): Promise<PasswordVerdict> {
    const sources: readonly PasswordSource[] = request.client.passwordSources ?? ['entra'];
    const answers: SourceAnswer[] = [];
    for (;;) {
      const step = nextPasswordStep(sources, answers);
      if ('verdict' in step) return step.verdict;
      const after = sources.length - answers.length;
      const until = after > 1 ? performance.now() + (deadline - performance.now()) / after : deadline;
      const answer = step.ask === 'ldap' ? await this.#askLdap(upn, password, until) : await this.#askEntra(upn, password, until);
      answers.push('outcome' in answer ? answer : { source: step.ask, unavailable: true });
    }
  }

  /**
   * A password attempt leaves room for one more should its replica die holding it (a live
   * verifier answers within the time it is given); in otp_first order, of what the OTP check left.
   * Too little left for two attempts (a short budget), the one attempt gets it all.
   */
  #passwordBudget(deadline: number): Budget {
    const leftMs = deadline - performance.now();
    const capMs = Math.floor(leftMs - Math.max(ENTRA_RETRY_RESERVE_MS, leftMs * ENTRA_RETRY_RESERVE_SHARE));
    return { deadline, attemptCapMs: capMs >= MIN_ATTEMPT_MS ? capMs : Math.floor(leftMs) };
  }

  async #askLdap(upn: string, password: string, deadline: number): Promise<SourceAnswer | { unavailable: true }> {
    const to = subject(this.#context.subjectPrefix, 'verifyLdap');
    const reply = await this.#ask('ldap', this.#passwordBudget(deadline), (timeoutMs) =>
      this.#context.bus.request(
        to,
        { upn, password, timeoutMs: Math.max(1, Math.floor(timeoutMs - ENTRA_ANSWER_MARGIN_MS)) },
        { timeoutMs },
      ),
    );
    const parsed = LdapVerifyResponse.safeParse(reply);
    if (!parsed.success) return { unavailable: true };
    return parsed.data.subCode === undefined
      ? { source: 'ldap', outcome: parsed.data.outcome }
      : { source: 'ldap', outcome: parsed.data.outcome, subCode: parsed.data.subCode };
  }

  async #askEntra(upn: string, password: string, deadline: number): Promise<PasswordVerdict> {
    const to = subject(this.#context.subjectPrefix, 'verifyEntra');
    const budget = this.#passwordBudget(deadline);
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
  async #ask(
    verifier: 'otp' | 'entra' | 'ldap' | 'fallback',
    budget: Budget,
    send: (timeoutMs: number) => Promise<unknown>,
  ): Promise<unknown> {
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

/**
 * An accept carries the reply attributes of the user's groups. More than a decision may carry
 * could never fit a reply: the accept becomes `policy.reply_too_large`, as the gateway does for
 * attributes over 4096 octets, never an accept without them.
 */
function withReplyAttributes(response: DecideResponse, policy: GroupPolicy): DecideResponse {
  if (response.decision !== 'accept' || policy.replyAttributes.length === 0) return response;
  if (policy.replyAttributes.length > MAX_REPLY_ATTRIBUTES) return { ...response, decision: 'reject', reason: 'policy.reply_too_large' };
  return { ...response, replyAttributes: policy.replyAttributes };
}
