/**
 * `/api/v1/settings`: the Entra ID connection (its client secret sealed, never returned), the
 * admin's "test connection" through the entra-verifier, and the policy (OTP lockout, wrong-password
 * limits, verification order).
 */
import { z } from 'zod';
import { DEFAULT_AUTHORITY, ENTRA_CLIENT_SECRET_CONTEXT, EntraVerifyResponse, STRICT_AUTHORITY_POLICY } from '@tollgate/contracts';
import {
  DEFAULT_POLICY,
  DEFAULT_SCOPE,
  VerificationOrders,
  settings,
  type EntraSettings,
  type PolicySettings,
  type StoredPolicySettings,
} from '@tollgate/store';
import type { AdminKit } from './admin-kit.js';
import { parseBody, type ApiRoutes } from './api-routes.js';
import { entraSettingsInput } from './entra-settings-input.js';
import { explainEntraOutcome } from './explain-entra-outcome.js';
import { runConnectionTest } from './connection-test.js';

const DEFAULT_TEST_TIMEOUT_MS = 5000;

const EntraTestInput = z.strictObject({
  username: z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters'),
  // Any character but NUL, as on the bus (EntraVerifyRequest): a password is only compared.
  password: z
    .string()
    .min(1, 'must not be empty')
    .max(256, 'must be at most 256 characters')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is the character refused, on purpose
    .regex(/^[^\u0000]*$/, 'must not contain NUL'),
});

const integerFrom = (least: number, most: number, unit = '') => {
  const range = `must be from ${least} to ${most}${unit}`;
  return z.number().int('must be an integer').min(least, range).max(most, range);
};

/**
 * The policy as an admin sets it. The OTP lockout is required (as it always was); the password
 * limits, the verification order and the challenge's life may be left out, which keeps what is stored (or the default).
 * A password limit of 0 turns that limit off.
 */
const PolicyInput = z.strictObject({
  otpMaxFailures: integerFrom(1, 100),
  otpLockoutSeconds: integerFrom(10, 86400, ' seconds'),
  passwordMaxFailures: integerFrom(0, 100).optional(),
  sourceMaxFailures: integerFrom(0, 100_000).optional(),
  passwordFailureWindowSeconds: integerFrom(10, 86400, ' seconds').optional(),
  verificationOrder: z.enum(VerificationOrders, `must be one of ${VerificationOrders.join(', ')}`).optional(),
  challengeTtlSeconds: integerFrom(10, 600, ' seconds').optional(),
});

/** The stored settings as the API shows them: whether a client secret is set, never the secret. */
export type EntraSettingsView = Omit<EntraSettings, 'clientSecretSealed'> & { hasClientSecret: boolean };

function entraView(entra: EntraSettings | null): EntraSettingsView {
  return {
    enabled: entra?.enabled ?? false,
    tenantId: entra?.tenantId ?? '',
    clientId: entra?.clientId ?? '',
    domain: entra?.domain ?? '',
    authorityHost: entra?.authorityHost ?? DEFAULT_AUTHORITY,
    scope: entra?.scope ?? DEFAULT_SCOPE,
    hasClientSecret: Boolean(entra?.clientSecretSealed),
  };
}

export function registerSettingsRoutes(routes: ApiRoutes, kit: AdminKit): void {
  const EntraSettingsInput = entraSettingsInput(kit.deps.authority ?? STRICT_AUTHORITY_POLICY);

  routes.add(
    'get',
    '/api/v1/settings/entra',
    async (_req, res) => {
      res.json(entraView(await settings.get(kit.db, 'entra')));
    },
    { summary: 'The Entra ID connection settings (never the client secret: only whether one is set)' },
  );

  routes.add(
    'put',
    '/api/v1/settings/entra',
    async (req, res) => {
      const input = parseBody(EntraSettingsInput, req);
      const existing = await settings.get(kit.db, 'entra');
      const next: EntraSettings = {
        enabled: input.enabled,
        tenantId: input.tenantId,
        clientId: input.clientId,
        domain: input.domain,
        authorityHost: input.authorityHost ?? existing?.authorityHost ?? DEFAULT_AUTHORITY,
        scope: input.scope ?? existing?.scope ?? DEFAULT_SCOPE,
      };
      let secretChange: 'kept' | 'set' | 'removed' = 'kept';
      if (input.clientSecret === undefined) {
        if (existing?.clientSecretSealed) next.clientSecretSealed = existing.clientSecretSealed;
      } else if (input.clientSecret === null) {
        secretChange = 'removed';
      } else {
        next.clientSecretSealed = kit.deps.keyring.seal(input.clientSecret, ENTRA_CLIENT_SECRET_CONTEXT);
        secretChange = 'set';
      }
      await settings.put(kit.db, 'entra', next);
      await kit.audit('settings.entra.update', 'entra', {
        enabled: next.enabled,
        tenantId: next.tenantId,
        clientId: next.clientId,
        domain: next.domain,
        authorityHost: next.authorityHost,
        secretChange,
      });
      kit.configChanged({ kind: 'settings' });
      res.json(entraView(next));
    },
    { summary: 'Save the Entra ID connection settings', request: EntraSettingsInput },
  );

  routes.add(
    'post',
    '/api/v1/settings/entra/test',
    async (req, res) => {
      const input = parseBody(EntraTestInput, req);
      const upn = await kit.upn(input.username);
      const result = await runConnectionTest(
        kit,
        {
          source: 'entra',
          endpoint: 'testEntra',
          response: EntraVerifyResponse,
          timeoutMs: kit.deps.entraTestTimeoutMs ?? DEFAULT_TEST_TIMEOUT_MS,
        },
        upn,
        input.password,
      );
      kit.deps.logger.info(
        { actor: kit.actor, action: 'settings.entra.test', target: upn, outcome: result.outcome, aadsts: result.aadsts },
        'entra connection test',
      );
      res.json({
        outcome: result.outcome,
        aadsts: result.aadsts ?? null,
        httpStatus: result.httpStatus,
        correlationId: result.correlationId ?? null,
        latencyMs: result.latencyMs,
        message: explainEntraOutcome(result.outcome, result.aadsts),
      });
    },
    {
      summary: 'Test the Entra connection with a user name and password, through the entra-verifier',
      request: EntraTestInput,
      responses: { 503: 'The entra-verifier gave no usable answer' },
    },
  );

  routes.add(
    'get',
    '/api/v1/settings/policy',
    async (_req, res) => {
      res.json(policyView(await settings.get(kit.db, 'policy')));
    },
    { summary: "The policy: OTP lockout, wrong-password limits, verification order, a challenge's life" },
  );

  routes.add(
    'put',
    '/api/v1/settings/policy',
    async (req, res) => {
      const input = parseBody(PolicyInput, req);
      const existing = policyView(await settings.get(kit.db, 'policy'));
      const next: PolicySettings = {
        otpMaxFailures: input.otpMaxFailures,
        otpLockoutSeconds: input.otpLockoutSeconds,
        passwordMaxFailures: input.passwordMaxFailures ?? existing.passwordMaxFailures,
        sourceMaxFailures: input.sourceMaxFailures ?? existing.sourceMaxFailures,
        passwordFailureWindowSeconds: input.passwordFailureWindowSeconds ?? existing.passwordFailureWindowSeconds,
        verificationOrder: input.verificationOrder ?? existing.verificationOrder,
        challengeTtlSeconds: input.challengeTtlSeconds ?? existing.challengeTtlSeconds,
      };
      await settings.put(kit.db, 'policy', next);
      await kit.audit('settings.policy.update', 'policy', { ...next });
      kit.configChanged({ kind: 'settings' });
      res.json(next);
    },
    { summary: 'Save the policy', request: PolicyInput },
  );
}

/** The stored policy with every setting it lacks (stored before that setting existed) at its default. */
function policyView(policy: StoredPolicySettings | null): PolicySettings {
  return { ...DEFAULT_POLICY, ...(policy ?? {}) };
}
