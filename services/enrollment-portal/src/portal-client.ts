import type { z } from 'zod';
import type { Bus } from '@tollgate/bus';
import {
  BusError,
  PortalEnrolConfirmResponse,
  PortalEnrolStartResponse,
  PortalLinkCheckResponse,
  PortalSessionEndResponse,
  PortalSessionResponse,
  PortalSettingsResponse,
  PortalSignInResponse,
  subject,
  TollgateError,
  type PortalEnrolConfirmRequest,
  type PortalEnrolStartRequest,
  type PortalLinkCheckRequest,
  type PortalLinkSignInRequest,
  type PortalOidcSignInRequest,
  type PortalSessionRequest,
  type SubjectName,
} from '@tollgate/contracts';

/** The admin API did not answer (in time, at all, or with an answer of the contract): a "try again" page. */
export class PortalUnavailable extends TollgateError<'timeout' | 'no_responders' | 'error' | 'bad_answer'> {
  constructor(why: PortalUnavailable['code']) {
    super(why, `the admin API did not answer (${why})`);
  }

  get why(): PortalUnavailable['code'] {
    return this.code;
  }
}

/** Time the far side is told it has, less than the portal waits, so its answer still arrives. */
const REPLY_MARGIN_MS = 250;

type Budgeted<T> = Omit<T, 'timeoutMs'>;

/**
 * The portal's side of the `portal.v1.*` subjects: one request each, within the configured budget
 * (told to the far side), the answer checked against the contract. Sign-ins are not retried: a
 * code or a link is spent once. The settings are cached for `settingsCacheMs`.
 */
export class PortalClient {
  readonly #bus: Bus;
  readonly #prefix: string;
  readonly #timeoutMs: number;
  readonly #settingsCacheMs: number;
  readonly #now: () => number;
  #settings: { value: PortalSettingsResponse; until: number } | undefined;
  #settingsInFlight: Promise<PortalSettingsResponse> | undefined;

  constructor(options: { bus: Bus; subjectPrefix: string; timeoutMs: number; settingsCacheMs: number; now?: () => number }) {
    this.#bus = options.bus;
    this.#prefix = options.subjectPrefix;
    this.#timeoutMs = options.timeoutMs;
    this.#settingsCacheMs = options.settingsCacheMs;
    this.#now = options.now ?? Date.now;
  }

  async #ask<S extends z.ZodType>(name: SubjectName, payload: object, schema: S): Promise<z.infer<S>> {
    let answer: unknown;
    try {
      answer = await this.#bus.request(
        subject(this.#prefix, name),
        { ...payload, timeoutMs: Math.max(1, this.#timeoutMs - REPLY_MARGIN_MS) },
        { timeoutMs: this.#timeoutMs },
      );
    } catch (error) {
      const code = error instanceof BusError ? error.code : undefined;
      throw new PortalUnavailable(code === 'timeout' ? 'timeout' : code === 'no_responders' ? 'no_responders' : 'error');
    }
    const parsed = schema.safeParse(answer);
    if (!parsed.success) throw new PortalUnavailable('bad_answer');
    return parsed.data;
  }

  async settings(): Promise<PortalSettingsResponse> {
    const cached = this.#settings;
    if (cached && cached.until > this.#now()) return cached.value;
    // One request for all the pages waiting on it.
    this.#settingsInFlight ??= this.#ask('portalSettings', {}, PortalSettingsResponse)
      .then((value) => {
        this.#settings = { value, until: this.#now() + this.#settingsCacheMs };
        return value;
      })
      .finally(() => {
        this.#settingsInFlight = undefined;
      });
    return this.#settingsInFlight;
  }

  signInOidc(request: Budgeted<PortalOidcSignInRequest>) {
    return this.#ask('portalSignInOidc', request, PortalSignInResponse);
  }

  linkCheck(request: Budgeted<PortalLinkCheckRequest>) {
    return this.#ask('portalLinkCheck', request, PortalLinkCheckResponse);
  }

  signInLink(request: Budgeted<PortalLinkSignInRequest>) {
    return this.#ask('portalSignInLink', request, PortalSignInResponse);
  }

  sessionGet(request: Budgeted<PortalSessionRequest>) {
    return this.#ask('portalSessionGet', request, PortalSessionResponse);
  }

  sessionEnd(request: Budgeted<PortalSessionRequest>) {
    return this.#ask('portalSessionEnd', request, PortalSessionEndResponse);
  }

  enrolStart(request: Budgeted<PortalEnrolStartRequest>) {
    return this.#ask('portalEnrolStart', request, PortalEnrolStartResponse);
  }

  enrolConfirm(request: Budgeted<PortalEnrolConfirmRequest>) {
    return this.#ask('portalEnrolConfirm', request, PortalEnrolConfirmResponse);
  }
}
