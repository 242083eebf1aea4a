/**
 * What every route module of the admin API shares: its dependencies, the audit line written for
 * each change, the config event that tells other processes to drop caches, and the canonical form
 * of a `:username` path parameter (which depends on the Entra domain).
 */
import { type Dictionary, loadDictionaries } from '@tollgate/radius-dictionary';
import type { Request } from 'express';
import type { Registry } from 'prom-client';
import type { Bus } from '@tollgate/bus';
import type { AuthorityPolicy, ConfigChanged } from '@tollgate/contracts';
import { errorFields, type Logger } from '@tollgate/logging';
import { publishConfigChanged, SmtpMailer, type AuditSink } from '@tollgate/runtime';
import type { Keyring } from '@tollgate/security';
import type { StateStore } from '@tollgate/state';
import { adminAudit, settings, type AdminAuditEntry, type Db } from '@tollgate/store';
import { badRequest } from './api-error.js';
import type { AuthGuard } from './auth-guard.js';
import { canonicalUpn } from './canonical-upn.js';
import { requestContext } from './principal.js';

export interface AdminApiDeps {
  db: Db;
  bus: Bus;
  /** The shared state store, where the OTP lockout and wrong-password counters live. */
  state: StateStore;
  subjectPrefix: string;
  keyring: Keyring;
  logger: Logger;
  /** The bearer token every request must carry (`ADMIN_API_TOKEN`); or give its hash below. */
  apiToken?: string | undefined;
  /** The SHA-256 (hex) of that token, when only the hash is kept (`ADMIN_API_TOKEN_SHA256`). */
  apiTokenSha256?: string | undefined;
  /** Issuer shown by authenticator apps for generated seeds (`ADMIN_ISSUER`). */
  issuer: string;
  /** Where `tollgate_admin_requests_total` is registered; omitted in tests that do not look. */
  metrics?: Registry;
  /** How long the Entra connection test waits for the entra-verifier. */
  entraTestTimeoutMs?: number;
  /** How long the LDAP connection test waits for the ldap-verifier. */
  ldapTestTimeoutMs?: number;
  /** Which Entra authority hosts may be saved (the verifier's policy); Microsoft's clouds only when omitted. */
  authority?: AuthorityPolicy;
  /** Where each change is also sent (a syslog collector), when configured. */
  syslog?: AuditSink | undefined;
  /** Throttles and logs failed authentication; one with the default limits when omitted. */
  authGuard?: AuthGuard;
  /** Console sessions: ADMIN_SESSION_IDLE_MINUTES, ADMIN_SESSION_MAX_HOURS, ADMIN_COOKIE_SECURE (their defaults when omitted). */
  session?: { idleMinutes: number; maxHours: number; cookieSecure: boolean };
  /** Where the console's built pages are; the `@tollgate/admin-console` package's when omitted. */
  consoleDir?: string;
  /** The RADIUS dictionary reply attributes are validated with; the shipped one when omitted. */
  dictionary?: Dictionary;
}

export class AdminKit {
  readonly deps: AdminApiDeps;
  constructor(deps: AdminApiDeps) {
    this.deps = deps;
  }

  get db(): Db {
    return this.deps.db;
  }

  #mailer: SmtpMailer | undefined;
  /** Sends enrolment links through the SMTP server of the fallback-code settings (one pooled transport). */
  get mailer(): SmtpMailer {
    this.#mailer ??= new SmtpMailer(this.deps.keyring);
    return this.#mailer;
  }

  /** Closes what the kit opened (the SMTP pool). */
  close(): void {
    this.#mailer?.close();
  }

  #dictionary: Dictionary | undefined;
  get dictionary(): Dictionary {
    this.#dictionary ??= this.deps.dictionary ?? loadDictionaries();
    return this.#dictionary;
  }

  /** The name of whoever makes the current request (an account or token name). */
  get actor(): string {
    return requestContext.getStore()?.principal.name ?? 'system';
  }

  /**
   * One audit record per change: a row of admin_audit_log, a log line and a syslog message, naming
   * who (from the request's context), their role and address, what, which record and the outcome.
   * Callers pass no secrets in `details`. Never rejects: a failed insert is logged, the change stands.
   */
  async audit(action: string, target: string, details: Record<string, unknown> = {}, outcome = 'success'): Promise<void> {
    const context = requestContext.getStore();
    await this.auditAs(
      {
        actor: this.actor,
        actorKind: context?.principal.kind ?? 'token',
        role: context?.principal.role ?? 'admin',
        source: context?.source ?? '',
      },
      action,
      target,
      details,
      outcome,
    );
  }

  /** `audit` for a change made by someone other than the request's principal (a user in the enrolment portal). */
  async auditAs(
    who: { actor: string; actorKind: AdminAuditEntry['actorKind']; role: string; source: string },
    action: string,
    target: string,
    details: Record<string, unknown> = {},
    outcome = 'success',
  ): Promise<void> {
    const { actor, role, source } = who;
    this.deps.logger.info({ ...details, actor, role, sourceAddress: source, action, target, outcome }, `admin change: ${action}`);
    this.deps.syslog?.adminChange({ actor, role, sourceAddress: source, outcome, action, target, details });
    try {
      await adminAudit.record(this.db, { actor, actorKind: who.actorKind, role, source, action, target, outcome, details });
    } catch (error) {
      this.deps.logger.error({ action, err: errorFields(error) }, 'admin audit record not written');
    }
  }

  configChanged(event: ConfigChanged): void {
    try {
      publishConfigChanged(this.deps, event);
    } catch (error) {
      // The change is committed; other processes still pick it up when their cache TTL expires.
      this.deps.logger.warn({ kind: event.kind, err: errorFields(error) }, 'config event not published');
    }
  }

  async entraDomain(): Promise<string | null> {
    const entra = await settings.get(this.db, 'entra');
    return entra?.domain ? entra.domain : null;
  }

  /** The canonical UPN for a user name; a 400 naming `field` when it cannot be one. */
  async upn(username: string, field = 'username'): Promise<string> {
    const result = canonicalUpn(username, await this.entraDomain());
    if (!result.ok) throw badRequest(field, result.problem);
    return result.upn;
  }

  async upnParam(req: Request): Promise<string> {
    return this.upn(String(req.params.username ?? ''));
  }
}
