/**
 * The entra-verifier service: answers `verifyEntra` (the aggregator, per login) and
 * `testEntra` (the admin's "test connection") by checking the password with one ROPC call.
 * Settings are cached and dropped on config events; `testEntra` reads them fresh and ignores
 * the throttle short-circuit, so an admin sees what Entra says right now.
 */
import {
  BusError,
  ENTRA_CLIENT_SECRET_CONTEXT,
  EntraVerifyRequest,
  subject,
  type EntraOutcome,
  type EntraVerifyResponse,
} from '@tollgate/contracts';
import { TtlCache, onConfigChanged, type Component, type ServiceContext } from '@tollgate/runtime';
import type { Served } from '@tollgate/bus';
import { settings } from '@tollgate/store';
import { errorFields } from '@tollgate/logging';
import { COMPONENT, loadEntraVerifierConfig, type EntraVerifierConfig } from './config.js';
import { registerEntraMetrics, type EntraMetrics } from './metrics.js';
import { resolveEntraSettings, type ResolvedEntra } from './resolve-entra-settings.js';
import { RopcClient } from './ropc-client.js';
import { ThrottleGate } from './throttle-gate.js';

export const SERVICE_VERSION = '1.0.0';
const SETTINGS_KEY = 'entra';

type Mode = 'verify' | 'test';

/** Outcomes worth a warning: an admin or an operator has something to look at. */
const WARN_OUTCOMES: ReadonlySet<EntraOutcome> = new Set(['config_error', 'unavailable', 'throttled', 'not_configured']);

class EntraVerifierComponent implements Component {
  readonly name = COMPONENT;
  readonly #context: ServiceContext;
  readonly #config: EntraVerifierConfig;
  readonly #client: RopcClient;
  readonly #metrics: EntraMetrics;
  readonly #cache: TtlCache<string, ResolvedEntra>;
  readonly #gate = new ThrottleGate();
  #unsubscribe: (() => void) | undefined;
  #served: Served | undefined;
  #started = false;

  constructor(context: ServiceContext, config: EntraVerifierConfig) {
    this.#context = context;
    this.#config = config;
    this.#client = new RopcClient({ timeoutMs: config.timeoutMs, maxConnections: config.maxConnections });
    this.#metrics = registerEntraMetrics(context.metrics, () => this.#client.poolTotals());
    this.#cache = new TtlCache({ ttlMs: config.settingsCacheMs, maxEntries: 1 });
  }

  async start(): Promise<void> {
    this.#unsubscribe = onConfigChanged(this.#context, (event) => {
      if (event.kind === 'settings' || event.kind === 'all') this.#cache.clear();
    });
    const prefix = this.#context.subjectPrefix;
    this.#served = await this.#context.bus.serve({
      name: COMPONENT,
      version: SERVICE_VERSION,
      description: 'Checks Entra ID passwords with the ROPC grant',
      endpoints: [
        { name: 'verify', subject: subject(prefix, 'verifyEntra'), handler: (payload) => this.#handle(payload, 'verify') },
        { name: 'test', subject: subject(prefix, 'testEntra'), handler: (payload) => this.#handle(payload, 'test') },
      ],
    });
    this.#started = true;
  }

  async stop(): Promise<void> {
    this.#started = false;
    // Stop taking checks (other replicas get them) and finish the ones in hand first.
    await this.#served?.stop();
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await this.#client.close();
  }

  ready(): boolean {
    return this.#started;
  }

  async #handle(payload: unknown, mode: Mode): Promise<EntraVerifyResponse> {
    const parsed = EntraVerifyRequest.safeParse(payload);
    if (!parsed.success) {
      // Name the fields only: a zod message could quote the value, and the value may be a password.
      const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(root)'))].join(', ');
      throw new BusError('bad_request', `invalid EntraVerifyRequest: ${fields}`);
    }
    const { upn, password, timeoutMs } = parsed.data;
    const resolved = await this.#settings(mode);

    if (resolved.kind === 'not_configured') {
      return this.#answer(mode, upn, { outcome: 'not_configured', httpStatus: 0, latencyMs: 0 });
    }
    if (resolved.kind === 'invalid') {
      this.#context.logger.warn({ code: resolved.code, problem: resolved.message }, 'Entra settings are not usable');
      const answer: EntraVerifyResponse = { outcome: 'config_error', httpStatus: 0, latencyMs: 0 };
      return this.#answer(mode, upn, resolved.aadsts === undefined ? answer : { ...answer, aadsts: resolved.aadsts });
    }

    if (mode === 'verify') {
      const waitMs = this.#gate.remainingMs(resolved.throttleKey);
      if (waitMs > 0) {
        this.#metrics.shortCircuited();
        return this.#answer(mode, upn, { outcome: 'throttled', httpStatus: 0, retryAfterSeconds: Math.ceil(waitMs / 1000), latencyMs: 0 });
      }
    }

    const result = await this.#client.call({
      origin: resolved.origin,
      path: resolved.path,
      clientId: resolved.clientId,
      scope: resolved.scope,
      username: upn,
      password,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(resolved.clientSecret === undefined ? {} : { clientSecret: resolved.clientSecret }),
    });
    this.#metrics.called(result.outcome, result.latencyMs);
    if (result.outcome === 'throttled') this.#noteThrottle(resolved.throttleKey, result.httpStatus, result.retryAfterSeconds);

    const response: EntraVerifyResponse = { outcome: result.outcome, httpStatus: result.httpStatus, latencyMs: result.latencyMs };
    if (result.aadsts !== undefined) response.aadsts = result.aadsts;
    if (result.retryAfterSeconds !== undefined) response.retryAfterSeconds = result.retryAfterSeconds;
    if (result.correlationId !== undefined) response.correlationId = result.correlationId;
    return this.#answer(mode, upn, response, result.failure, result.errorCode);
  }

  /**
   * A Retry-After closes the gate for that long (capped). A 429 without one still pauses for
   * the configured default. A 50196 in a 400 without Retry-After is Entra's loop detection for
   * one request, not a throttle of the whole client, so it does not stop other users' checks.
   */
  #noteThrottle(key: string, httpStatus: number, retryAfterSeconds: number | undefined): void {
    const seconds = retryAfterSeconds ?? (httpStatus === 429 ? this.#config.throttleDefaultSeconds : 0);
    this.#gate.block(key, Math.min(seconds, this.#config.throttleMaxSeconds));
  }

  async #settings(mode: Mode): Promise<ResolvedEntra> {
    try {
      return mode === 'test' ? await this.#loadSettings() : await this.#cache.get(SETTINGS_KEY, () => this.#loadSettings());
    } catch (error) {
      this.#context.logger.error({ err: errorFields(error) }, 'cannot read Entra settings');
      throw new BusError('internal', 'Entra settings unavailable');
    }
  }

  async #loadSettings(): Promise<ResolvedEntra> {
    const stored = await settings.get(this.#context.db, SETTINGS_KEY);
    return resolveEntraSettings(stored, this.#config.authority, (sealed) =>
      this.#context.keyring.openText(sealed, ENTRA_CLIENT_SECRET_CONTEXT),
    );
  }

  #answer(mode: Mode, upn: string, response: EntraVerifyResponse, failure?: string, errorCode?: string): EntraVerifyResponse {
    this.#metrics.answered(response.outcome, response.aadsts);
    const line = {
      mode,
      upn,
      outcome: response.outcome,
      aadsts: response.aadsts,
      httpStatus: response.httpStatus,
      latencyMs: response.latencyMs,
      correlationId: response.correlationId,
      retryAfterSeconds: response.retryAfterSeconds,
      failure,
      errorCode,
    };
    if (WARN_OUTCOMES.has(response.outcome)) this.#context.logger.warn(line, 'Entra check not conclusive');
    else this.#context.logger.debug(line, 'Entra check');
    return response;
  }
}

/** Validates the configuration (a ConfigError names the key) and builds the component. */
export async function createEntraVerifier(context: ServiceContext): Promise<Component> {
  return new EntraVerifierComponent(context, loadEntraVerifierConfig(context.env));
}
