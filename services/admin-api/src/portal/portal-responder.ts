/**
 * The admin API's side of the enrolment portal: it serves the `portal.v1.*` subjects on the bus
 * (the portal holds no database credentials and no master key). Each request is checked against
 * its schema in `@tollgate/contracts` (a bad payload is a BusError `bad_request` naming the fields,
 * never quoting a value); each answer is one of the contract's outcomes.
 */
import {
  BusError,
  PortalEnrolConfirmRequest,
  PortalEnrolStartRequest,
  PortalLinkCheckRequest,
  PortalLinkSignInRequest,
  PortalOidcSignInRequest,
  PortalSessionRequest,
  PortalSettingsRequest,
  STRICT_AUTHORITY_POLICY,
  subject,
  type SubjectName,
} from '@tollgate/contracts';
import type { Served } from '@tollgate/bus';
import { portalSettings, settings } from '@tollgate/store';
import type { z } from 'zod';
import type { AdminKit } from '../admin-kit.js';
import { OidcClient } from './oidc-client.js';
import { confirmEnrolment, endSession, getSession, startEnrolment } from './portal-enrol.js';
import type { PortalDeps } from './portal-deps.js';
import { PortalRateLimits } from './portal-rate-limits.js';
import { PortalSessions } from './portal-sessions.js';
import { portalSettingsResponse } from './portal-settings-response.js';
import { checkLink, signInLink, signInOidc } from './portal-sign-in.js';

export const PORTAL_SERVICE_VERSION = '1.0.0';

/** A payload checked against its schema; a bad one is a `bad_request` naming the fields only (a value may be a password). */
export function parsePortalRequest<T extends z.ZodType>(schema: T, payload: unknown, name: string): z.infer<T> {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(root)'))].join(', ');
  throw new BusError('bad_request', `invalid ${name}: ${fields}`);
}

export class PortalResponder {
  readonly #kit: AdminKit;
  readonly #deps: PortalDeps;
  #served: Served | undefined;

  constructor(kit: AdminKit, now: () => number = Date.now) {
    this.#kit = kit;
    this.#deps = {
      kit,
      sessions: new PortalSessions(kit.deps.state, kit.deps.keyring),
      limits: new PortalRateLimits(kit.deps.state),
      oidc: new OidcClient(),
      now,
    };
  }

  async start(): Promise<void> {
    if (this.#served) return;
    const prefix = this.#kit.deps.subjectPrefix;
    const deps = this.#deps;
    const endpoint = <T extends z.ZodType>(name: string, key: SubjectName, schema: T, run: (request: z.infer<T>) => Promise<unknown>) => ({
      name,
      subject: subject(prefix, key),
      handler: (payload: unknown) => run(parsePortalRequest(schema, payload, name)),
    });
    this.#served = await this.#kit.deps.bus.serve({
      name: 'admin-api',
      version: PORTAL_SERVICE_VERSION,
      description: 'Answers the self-service enrolment portal: sign-in, sessions and enrolment',
      endpoints: [
        endpoint('settings', 'portalSettings', PortalSettingsRequest, () => this.#settings()),
        endpoint('signin-oidc', 'portalSignInOidc', PortalOidcSignInRequest, (r) => signInOidc(deps, r)),
        endpoint('link-check', 'portalLinkCheck', PortalLinkCheckRequest, (r) => checkLink(deps, r)),
        endpoint('signin-link', 'portalSignInLink', PortalLinkSignInRequest, (r) => signInLink(deps, r)),
        endpoint('session-get', 'portalSessionGet', PortalSessionRequest, (r) => getSession(deps, r)),
        endpoint('session-end', 'portalSessionEnd', PortalSessionRequest, (r) => endSession(deps, r)),
        endpoint('enrol-start', 'portalEnrolStart', PortalEnrolStartRequest, (r) => startEnrolment(deps, r)),
        endpoint('enrol-confirm', 'portalEnrolConfirm', PortalEnrolConfirmRequest, (r) => confirmEnrolment(deps, r)),
      ],
    });
  }

  async stop(): Promise<void> {
    await this.#served?.stop();
    this.#served = undefined;
    await this.#deps.oidc.close();
  }

  async #settings() {
    const db = this.#kit.db;
    const [portal, entra] = await Promise.all([portalSettings(db), settings.get(db, 'entra')]);
    const response = portalSettingsResponse(portal, entra, this.#kit.deps.authority ?? STRICT_AUTHORITY_POLICY, this.#kit.deps.issuer);
    if (!response) throw new BusError('internal', 'the enrolment portal is not configured: the portal settings have no publicUrl');
    return response;
  }
}
