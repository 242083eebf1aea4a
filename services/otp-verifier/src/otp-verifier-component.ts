import { BusError, subject, type SubjectName } from '@tollgate/contracts';
import { PolicySource, TtlCache, onConfigChanged, type Component, type ServiceContext } from '@tollgate/runtime';
import { fallbackCodeSettings, users, type FallbackCodeSettings } from '@tollgate/store';
import { createFallbackCodes } from './fallback-codes.js';
import { EmailSender, SmsSender } from './fallback-senders.js';
import type { Served } from '@tollgate/bus';
import type { OtpMetrics } from './metrics.js';
import { createStepClaimBatcher } from './step-claim-batcher.js';
import { TokenDirectory } from './token-directory.js';
import { createVerifyOtp } from './verify-otp.js';

/**
 * Wires the verifier to the bus: serves `<prefix>.auth.v1.verify.otp` and the fallback-code
 * endpoints (`auth.v1.fallback.send`, `auth.v1.fallback.verify`) in the shared queue group
 * (so any replica may answer) and listens for config events to drop its caches. Listening
 * starts before serving, so no request is answered from a cache an event has already condemned.
 * After `stop()` the handler refuses work (fail closed: without config events its caches could
 * go stale) until the runner drains the bus.
 */
export interface OtpVerifierSettings {
  cacheTtlMs: number;
  cacheMaxEntries: number;
  /** The clock; tests may pin it. */
  now?: () => number;
}

export class OtpVerifierComponent implements Component {
  readonly name = 'otp-verifier';
  readonly #context: ServiceContext;
  readonly #directory: TokenDirectory;
  readonly #policy: PolicySource;
  readonly #handle: (payload: unknown) => Promise<unknown>;
  readonly #fallback: ReturnType<typeof createFallbackCodes>;
  readonly #fallbackSettings: TtlCache<'fallback-codes', FallbackCodeSettings>;
  readonly #email: EmailSender;
  readonly #inFlight = new Set<Promise<unknown>>();
  #unsubscribe: (() => void) | undefined;
  #served: Served | undefined;
  #state: 'new' | 'running' | 'stopped' = 'new';

  constructor(context: ServiceContext, metrics: OtpMetrics, settings: OtpVerifierSettings) {
    this.#context = context;
    this.#directory = new TokenDirectory({
      db: context.db,
      keyring: context.keyring,
      ttlMs: settings.cacheTtlMs,
      maxEntries: settings.cacheMaxEntries,
      onCacheRequest: (result) => metrics.cacheRequest(result),
    });
    this.#policy = new PolicySource({ db: context.db, ttlMs: settings.cacheTtlMs });
    // Valid codes arriving together claim their steps in one statement, on the clock that chose the steps.
    const now = settings.now ?? Date.now;
    const claims = createStepClaimBatcher(context.db, now);
    this.#handle = createVerifyOtp({
      lookup: (upn) => this.#directory.lookup(upn),
      policy: () => this.#policy.get(),
      claimStep: (upn, step, requestKey) => claims.load(requestKey === undefined ? { upn, step } : { upn, step, requestKey }),
      state: context.state,
      now,
      metrics,
      logger: context.logger,
    });
    this.#fallbackSettings = new TtlCache({ ttlMs: settings.cacheTtlMs });
    this.#email = new EmailSender(context.keyring);
    const sms = new SmsSender(context.keyring);
    this.#fallback = createFallbackCodes({
      settings: () => this.#fallbackSettings.get('fallback-codes', () => fallbackCodeSettings(context.db)),
      contact: (upn) => users.contact(context.db, upn),
      state: context.state,
      sendEmail: (email, message, timeoutMs) => this.#email.send(email, message, timeoutMs),
      sendSms: (config, message, timeoutMs) => sms.send(config, message, timeoutMs),
      now,
      logger: context.logger,
    });
  }

  async start(): Promise<void> {
    if (this.#state !== 'new') return;
    const context = this.#context;
    this.#unsubscribe = onConfigChanged(context, (event) => {
      this.#directory.invalidate(event);
      this.#policy.invalidate(event);
      if (event.kind === 'settings' || event.kind === 'all') this.#fallbackSettings.clear();
      context.logger.debug({ kind: event.kind, key: event.key }, 'config changed: caches dropped');
    });
    this.#served = await context.bus.serve({
      name: 'otp-verifier',
      version: '1.0.0',
      description: 'Checks TOTP codes against Tollgate tokens',
      endpoints: [
        { name: 'verifyOtp', subject: subject(context.subjectPrefix, 'verifyOtp'), handler: (p) => this.#serve(p, this.#handle) },
        this.#endpoint('sendFallbackCode', this.#fallback.send),
        this.#endpoint('verifyFallbackCode', this.#fallback.verify),
      ],
    });
    this.#state = 'running';
    context.logger.info({ subject: subject(context.subjectPrefix, 'verifyOtp') }, 'otp-verifier serving');
  }

  #endpoint(name: SubjectName, handler: (payload: unknown) => Promise<unknown>) {
    return { name, subject: subject(this.#context.subjectPrefix, name), handler: (p: unknown) => this.#serve(p, handler) };
  }

  #serve(payload: unknown, handler: (payload: unknown) => Promise<unknown>): Promise<unknown> {
    if (this.#state !== 'running') return Promise.reject(new BusError('internal', 'otp-verifier is not running'));
    const work = handler(payload);
    const tracked = work.catch(() => undefined).finally(() => this.#inFlight.delete(tracked));
    this.#inFlight.add(tracked);
    return work;
  }

  async stop(): Promise<void> {
    if (this.#state === 'stopped') return;
    // Stop taking codes (other replicas get them) and finish the ones in hand before refusing.
    await this.#served?.stop();
    this.#state = 'stopped';
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await Promise.allSettled([...this.#inFlight]);
    this.#directory.clear();
    this.#email.close();
  }

  ready(): boolean {
    return this.#state === 'running';
  }
}
