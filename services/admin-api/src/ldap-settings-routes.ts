/**
 * `/api/v1/settings/ldap`: the LDAP / Active Directory connection (its bind password sealed,
 * never returned) and the admin's "test connection" through the ldap-verifier.
 */
import { z } from 'zod';
import { LDAP_BIND_PASSWORD_CONTEXT, LdapVerifyResponse } from '@tollgate/contracts';
import { DEFAULT_LDAP_TIMEOUT_MS, settings, type LdapSettings } from '@tollgate/store';
import type { AdminKit } from './admin-kit.js';
import { parseBody, type ApiRoutes } from './api-routes.js';
import { explainLdapOutcome } from './explain-ldap-outcome.js';
import { runConnectionTest } from './connection-test.js';
import { LdapSettingsInput } from './ldap-settings-input.js';

const DEFAULT_TEST_TIMEOUT_MS = 10_000;

const LdapTestInput = z.strictObject({
  username: z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters'),
  password: z
    .string()
    .min(1, 'must not be empty')
    .max(256, 'must be at most 256 characters')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is the character refused, on purpose
    .regex(/^[^\u0000]*$/, 'must not contain NUL'),
});

/** The stored settings as the API shows them: whether a bind password is set, never the password. */
export type LdapSettingsView = Omit<LdapSettings, 'bindPasswordSealed' | 'caCertificate' | 'groupFilter'> & {
  caCertificate: string | null;
  groupFilter: string | null;
  hasBindPassword: boolean;
};

function ldapView(ldap: LdapSettings | null): LdapSettingsView {
  return {
    enabled: ldap?.enabled ?? false,
    urls: ldap?.urls ?? [],
    startTls: ldap?.startTls ?? false,
    allowInsecure: ldap?.allowInsecure ?? false,
    caCertificate: ldap?.caCertificate ?? null,
    bindDn: ldap?.bindDn ?? '',
    baseDn: ldap?.baseDn ?? '',
    userFilter: ldap?.userFilter ?? '',
    groupAttribute: ldap?.groupAttribute ?? 'memberOf',
    groupFilter: ldap?.groupFilter ?? null,
    timeoutMs: ldap?.timeoutMs ?? DEFAULT_LDAP_TIMEOUT_MS,
    hasBindPassword: Boolean(ldap?.bindPasswordSealed),
  };
}

export function registerLdapSettingsRoutes(routes: ApiRoutes, kit: AdminKit): void {
  routes.add(
    'get',
    '/api/v1/settings/ldap',
    async (_req, res) => {
      res.json(ldapView(await settings.get(kit.db, 'ldap')));
    },
    { summary: 'The LDAP / Active Directory connection settings (never the bind password: only whether one is set)' },
  );

  routes.add(
    'put',
    '/api/v1/settings/ldap',
    async (req, res) => {
      const input = parseBody(LdapSettingsInput, req);
      const existing = await settings.get(kit.db, 'ldap');
      const next: LdapSettings = {
        enabled: input.enabled,
        urls: input.urls,
        startTls: input.startTls,
        allowInsecure: input.allowInsecure,
        bindDn: input.bindDn,
        baseDn: input.baseDn,
        userFilter: input.userFilter,
        groupAttribute: input.groupAttribute ?? existing?.groupAttribute ?? 'memberOf',
        timeoutMs: input.timeoutMs ?? existing?.timeoutMs ?? DEFAULT_LDAP_TIMEOUT_MS,
      };
      // Left out: kept; null: removed.
      const ca = input.caCertificate === undefined ? existing?.caCertificate : (input.caCertificate ?? undefined);
      if (ca) next.caCertificate = ca;
      const groupFilter = input.groupFilter === undefined ? existing?.groupFilter : (input.groupFilter ?? undefined);
      if (groupFilter) next.groupFilter = groupFilter;
      let passwordChange: 'kept' | 'set' | 'removed' = 'kept';
      if (input.bindPassword === undefined) {
        if (existing?.bindPasswordSealed) next.bindPasswordSealed = existing.bindPasswordSealed;
      } else if (input.bindPassword === null) {
        passwordChange = 'removed';
      } else {
        next.bindPasswordSealed = kit.deps.keyring.seal(input.bindPassword, LDAP_BIND_PASSWORD_CONTEXT);
        passwordChange = 'set';
      }
      if (next.enabled && next.allowInsecure && next.urls.some((u) => u.startsWith('ldap:')) && !next.startTls) {
        kit.deps.logger.warn(
          { actor: kit.actor, urls: next.urls },
          'LDAP saved with ldap:// and no StartTLS: passwords cross the network in clear',
        );
      }
      await settings.put(kit.db, 'ldap', next);
      await kit.audit('settings.ldap.update', 'ldap', {
        enabled: next.enabled,
        urls: next.urls,
        startTls: next.startTls,
        allowInsecure: next.allowInsecure,
        bindDn: next.bindDn,
        baseDn: next.baseDn,
        userFilter: next.userFilter,
        groupAttribute: next.groupAttribute,
        groupFilter: next.groupFilter ?? null,
        passwordChange,
      });
      kit.configChanged({ kind: 'settings' });
      res.json(ldapView(next));
    },
    { summary: 'Save the LDAP / Active Directory connection settings', request: LdapSettingsInput },
  );

  routes.add(
    'post',
    '/api/v1/settings/ldap/test',
    async (req, res) => {
      const input = parseBody(LdapTestInput, req);
      const upn = await kit.upn(input.username);
      const result = await runConnectionTest(
        kit,
        {
          source: 'ldap',
          endpoint: 'testLdap',
          response: LdapVerifyResponse,
          timeoutMs: kit.deps.ldapTestTimeoutMs ?? DEFAULT_TEST_TIMEOUT_MS,
        },
        upn,
        input.password,
      );
      kit.deps.logger.info(
        { actor: kit.actor, action: 'settings.ldap.test', target: upn, outcome: result.outcome, subCode: result.subCode },
        'ldap connection test',
      );
      res.json({
        outcome: result.outcome,
        stage: result.stage ?? null,
        subCode: result.subCode ?? null,
        resultCode: result.resultCode ?? null,
        server: result.server ?? null,
        groups: result.groups ?? [],
        latencyMs: result.latencyMs,
        message: explainLdapOutcome(result),
      });
    },
    {
      summary:
        'Test the LDAP connection with a user name and password, through the ldap-verifier (syncs the user’s LDAP groups on success)',
      request: LdapTestInput,
      responses: { 503: 'The ldap-verifier gave no usable answer' },
    },
  );
}
