/**
 * The ldap-verifier service: answers `verifyLdap` (the aggregator, per login) and `testLdap` (the
 * admin's "test connection") with a search for the user and a bind as the DN found. A proven
 * password also syncs the user's LDAP groups into the Tollgate groups of the same names
 * (group_members.source = 'ldap'). Settings are cached and dropped on config events; the
 * connections belong to one set of settings and are closed when the settings change.
 */
import {
  BusError,
  LDAP_BIND_PASSWORD_CONTEXT,
  LdapVerifyRequest,
  subject,
  type LdapOutcome,
  type LdapVerifyResponse,
} from '@tollgate/contracts';
import { TtlCache, onConfigChanged, publishConfigChanged, type Component, type ServiceContext } from '@tollgate/runtime';
import type { Served } from '@tollgate/bus';
import { groups, settings } from '@tollgate/store';
import { errorFields } from '@tollgate/logging';
import { COMPONENT, loadLdapVerifierConfig, type LdapVerifierConfig } from './config.js';
import { Directory, type DirectoryAnswer } from './ldap-directory.js';
import { registerLdapMetrics, type LdapMetrics } from './metrics.js';
import { resolveLdapSettings, type ResolvedLdap } from './resolve-ldap-settings.js';

export const SERVICE_VERSION = '1.0.0';
const SETTINGS_KEY = 'ldap';

type Mode = 'verify' | 'test';

/** Outcomes worth a warning: an admin or an operator has something to look at. */
const WARN_OUTCOMES: ReadonlySet<LdapOutcome> = new Set(['config_error', 'unavailable', 'not_configured']);

class LdapVerifierComponent implements Component {
  readonly name = COMPONENT;
  readonly #context: ServiceContext;
  readonly #config: LdapVerifierConfig;
  readonly #metrics: LdapMetrics;
  readonly #cache: TtlCache<string, ResolvedLdap>;
  #directory: { fingerprint: string; directory: Directory } | undefined;
  #warnedInsecure = '';
  #unsubscribe: (() => void) | undefined;
  #served: Served | undefined;
  #started = false;

  constructor(context: ServiceContext, config: LdapVerifierConfig) {
    this.#context = context;
    this.#config = config;
    this.#metrics = registerLdapMetrics(context.metrics, () => this.#directory?.directory.poolTotals() ?? { open: 0, idle: 0, waiting: 0 });
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
      description: 'Checks passwords against LDAP / Active Directory with a search and a bind',
      endpoints: [
        { name: 'verify', subject: subject(prefix, 'verifyLdap'), handler: (payload) => this.#handle(payload, 'verify') },
        { name: 'test', subject: subject(prefix, 'testLdap'), handler: (payload) => this.#handle(payload, 'test') },
      ],
    });
    this.#started = true;
  }

  async stop(): Promise<void> {
    this.#started = false;
    await this.#served?.stop();
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await this.#directory?.directory.close();
    this.#directory = undefined;
  }

  ready(): boolean {
    return this.#started;
  }

  async #handle(payload: unknown, mode: Mode): Promise<LdapVerifyResponse> {
    const started = performance.now();
    const parsed = LdapVerifyRequest.safeParse(payload);
    if (!parsed.success) {
      // Name the fields only: a zod message could quote the value, and the value may be a password.
      const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(root)'))].join(', ');
      throw new BusError('bad_request', `invalid LdapVerifyRequest: ${fields}`);
    }
    const { upn, password, timeoutMs } = parsed.data;
    const resolved = await this.#settings(mode);
    if (resolved.kind === 'not_configured') return this.#answer(mode, upn, { outcome: 'not_configured' }, started);
    if (resolved.kind === 'invalid') {
      this.#context.logger.warn({ code: resolved.code, problem: resolved.message }, 'LDAP settings are not usable');
      return this.#answer(mode, upn, { outcome: 'config_error' }, started);
    }
    const directory = this.#directoryFor(resolved);
    const limitMs = Math.min(timeoutMs ?? Number.POSITIVE_INFINITY, resolved.settings.timeoutMs * 2);
    const answer = await directory.verify(upn, password, limitMs);
    let synced: string[] | undefined;
    if (answer.outcome === 'password_ok' && answer.groupNames !== undefined) synced = await this.#syncGroups(upn, answer.groupNames);
    return this.#answer(mode, upn, answer, started, synced);
  }

  /**
   * The user's LDAP groups become their `ldap` memberships of the Tollgate groups of the same
   * names. A sync that fails is logged; the password stays proven (the memberships stay as they were).
   */
  async #syncGroups(upn: string, names: string[]): Promise<string[] | undefined> {
    try {
      const result = await groups.syncMemberships(this.#context.db, upn, 'ldap', names);
      if (result.changed) {
        this.#metrics.groupsSynced();
        publishConfigChanged(this.#context, { kind: 'users', key: upn });
      }
      return result.groups;
    } catch (error) {
      this.#context.logger.warn({ upn, err: errorFields(error) }, 'LDAP groups could not be synced');
      return undefined;
    }
  }

  /** The connections of the settings in force; new settings close the old connections. */
  #directoryFor(resolved: Extract<ResolvedLdap, { kind: 'ready' }>): Directory {
    if (this.#directory?.fingerprint === resolved.fingerprint) return this.#directory.directory;
    const old = this.#directory?.directory;
    old?.close().catch(() => {});
    if (resolved.settings.insecure && this.#warnedInsecure !== resolved.fingerprint) {
      this.#warnedInsecure = resolved.fingerprint;
      this.#context.logger.warn(
        { urls: resolved.settings.urls },
        'LDAP over ldap:// without StartTLS (allowInsecure): passwords cross the network in clear',
      );
    }
    const directory = new Directory(resolved.settings, { bindPoolSize: this.#config.bindPoolSize });
    this.#directory = { fingerprint: resolved.fingerprint, directory };
    return directory;
  }

  async #settings(mode: Mode): Promise<ResolvedLdap> {
    try {
      return mode === 'test' ? await this.#loadSettings() : await this.#cache.get(SETTINGS_KEY, () => this.#loadSettings());
    } catch (error) {
      this.#context.logger.error({ err: errorFields(error) }, 'cannot read LDAP settings');
      throw new BusError('internal', 'LDAP settings unavailable');
    }
  }

  async #loadSettings(): Promise<ResolvedLdap> {
    const stored = await settings.get(this.#context.db, SETTINGS_KEY);
    return resolveLdapSettings(stored, (sealed) => this.#context.keyring.openText(sealed, LDAP_BIND_PASSWORD_CONTEXT));
  }

  #answer(mode: Mode, upn: string, answer: DirectoryAnswer, started: number, synced?: string[]): LdapVerifyResponse {
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    this.#metrics.answered(answer.outcome, answer.subCode, latencyMs);
    const response: LdapVerifyResponse = { outcome: answer.outcome, latencyMs };
    if (answer.subCode !== undefined) response.subCode = answer.subCode;
    if (answer.resultCode !== undefined) response.resultCode = answer.resultCode;
    if (answer.server !== undefined) response.server = answer.server;
    if (answer.stage !== undefined) response.stage = answer.stage;
    if (synced !== undefined) response.groups = synced;
    const line = { mode, upn, ...response, dn: answer.dn };
    if (WARN_OUTCOMES.has(answer.outcome)) this.#context.logger.warn(line, 'LDAP check not conclusive');
    else this.#context.logger.debug(line, 'LDAP check');
    return response;
  }
}

/** Validates the configuration (a ConfigError names the key) and builds the component. */
export async function createLdapVerifier(context: ServiceContext): Promise<Component> {
  return new LdapVerifierComponent(context, loadLdapVerifierConfig(context.env));
}
