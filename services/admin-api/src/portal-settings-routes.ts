/**
 * `/api/v1/settings/portal`: the self-service enrolment portal (docs/admin-api.md). The portal app
 * registration's client secret is sealed with `settings:portal` and never returned:
 * `clientSecretSet` shows whether one is stored.
 */
import { PORTAL_CLIENT_SECRET_CONTEXT } from '@tollgate/contracts';
import { portalSettings, settings, type PortalSettings } from '@tollgate/store';
import type { AdminKit } from './admin-kit.js';
import { parseBody, type ApiRoutes } from './api-routes.js';
import { PortalSettingsInput } from './portal-settings-input.js';

export function portalSettingsView(value: PortalSettings) {
  const { clientSecretSealed, ...rest } = value;
  return { ...rest, clientSecretSet: Boolean(clientSecretSealed) };
}

/** The stored settings with the input applied: the secret sealed, a left-out secret kept, null removing it. */
export function applyPortalInput(
  existing: PortalSettings,
  input: PortalSettingsInput,
  seal: (text: string, context: string) => string,
): PortalSettings {
  const { clientSecret, email, ...rest } = input;
  const next: PortalSettings = {
    ...rest,
    email: {
      enabled: email.enabled,
      subject: email.subject ?? existing.email.subject,
      template: email.template ?? existing.email.template,
    },
  };
  if (clientSecret === undefined) {
    if (existing.clientSecretSealed) next.clientSecretSealed = existing.clientSecretSealed;
  } else if (clientSecret !== null) {
    next.clientSecretSealed = seal(clientSecret, PORTAL_CLIENT_SECRET_CONTEXT);
  }
  return next;
}

export function registerPortalSettingsRoutes(routes: ApiRoutes, kit: AdminKit): void {
  routes.add(
    'get',
    '/api/v1/settings/portal',
    async (_req, res) => {
      res.json(portalSettingsView(await portalSettings(kit.db)));
    },
    { summary: 'The self-service enrolment portal settings (never the client secret: only whether it is set)' },
  );

  routes.add(
    'put',
    '/api/v1/settings/portal',
    async (req, res) => {
      const input = parseBody(PortalSettingsInput, req);
      const existing = await portalSettings(kit.db);
      const next = applyPortalInput(existing, input, (text, context) => kit.deps.keyring.seal(text, context));
      await settings.put(kit.db, 'portal', next);
      await kit.audit('settings.portal.update', 'portal', {
        oidcEnabled: next.oidcEnabled,
        linksEnabled: next.linksEnabled,
        publicUrl: next.publicUrl,
        organisationName: next.organisationName,
        logoSet: next.logo !== null,
        issuer: next.issuer,
        allowReplace: next.allowReplace,
        linkTtlHours: next.linkTtlHours,
        mfaContext: next.mfaContext,
        clientId: next.clientId,
        clientSecretChange: input.clientSecret === undefined ? 'kept' : input.clientSecret === null ? 'removed' : 'set',
        emailEnabled: next.email.enabled,
      });
      kit.configChanged({ kind: 'settings' });
      res.json(portalSettingsView(next));
    },
    {
      summary: 'Save the enrolment portal settings: sign-in ways, public URL, look, replacing tokens, link lifetime and email',
      request: PortalSettingsInput,
      // A logo of up to 100 kB arrives base64-encoded.
      bodyLimit: '256kb',
    },
  );
}
