/**
 * The portal over a real NATS bus against a responder of the `portal.v1.*` subjects written here
 * (standing in for the admin API's side): the portal holds only the portal key, the responder the
 * master key (installation seals), as in a deployment. Each subject's answer is a function the test
 * sets; every request the responder took is recorded.
 */
import { randomBytes } from 'node:crypto';
import { Registry } from 'prom-client';
import { NatsBus } from '@tollgate/bus';
import {
  PORTAL_SUBJECT_NAMES,
  subject,
  type PortalSessionView,
  type PortalSettingsResponse,
  type PortalSubjectName,
} from '@tollgate/contracts';
import { createLogger } from '@tollgate/logging';
import type { ServiceContext } from '@tollgate/runtime';
import { BusSeal, Keyring, installationSeals, portalBusKey, singleSeal } from '@tollgate/security';
import { TEST_NATS_URL, uniquePrefix } from '@tollgate/testkit';
import { createEnrollmentPortal, type EnrollmentPortalComponent } from '../enrollment-portal.js';

export const PORTAL_SUBJECTS = PORTAL_SUBJECT_NAMES;
export type PortalSubject = PortalSubjectName;

export const SESSION = 'S'.repeat(20) + randomBytes(18).toString('base64url').slice(0, 23);
export const LINK = randomBytes(32).toString('base64url');
export const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

export function settingsFor(publicUrl: string, overrides: Partial<PortalSettingsResponse> = {}): PortalSettingsResponse {
  return {
    publicUrl,
    organisationName: 'Contoso <Test> & Co',
    logo: `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="#0b57d0"/></svg>').toString('base64')}`,
    issuer: 'Contoso VPN',
    allowReplace: true,
    oidc: {
      enabled: true,
      authorizeEndpoint: 'https://login.example.test/tid/oauth2/v2.0/authorize',
      clientId: 'portal-app',
      mfaContext: 'c1',
    },
    links: { enabled: true },
    ...overrides,
  };
}

export function viewOf(overrides: Partial<PortalSessionView> = {}): PortalSessionView {
  return {
    session: SESSION,
    upn: 'alice@contoso.test',
    displayName: 'Alice Example',
    hasActiveToken: false,
    seedShown: false,
    expiresInSeconds: 900,
    ...overrides,
  };
}

export const DEFAULT_ANSWERS = (publicUrl: string): Record<PortalSubject, (request: Record<string, unknown>) => unknown> => ({
  portalSettings: () => settingsFor(publicUrl),
  portalSignInOidc: () => ({ outcome: 'ok', view: viewOf() }),
  portalLinkCheck: () => ({ outcome: 'ok', upn: 'alice@contoso.test', expiresAt: new Date(Date.now() + 3_600_000).toISOString() }),
  portalSignInLink: () => ({ outcome: 'ok', view: viewOf() }),
  portalSessionGet: () => ({ outcome: 'ok', view: viewOf() }),
  portalSessionEnd: () => ({ outcome: 'ok' }),
  portalEnrolStart: () => ({
    outcome: 'ok',
    otpauthUri: `otpauth://totp/Contoso%20VPN:alice%40contoso.test?secret=${SECRET}&issuer=Contoso%20VPN&algorithm=SHA1&digits=6&period=30`,
    secret: SECRET,
    issuer: 'Contoso VPN',
    account: 'alice@contoso.test',
    digits: 6,
    period: 30,
  }),
  portalEnrolConfirm: () => ({ outcome: 'activated', upn: 'alice@contoso.test', replaced: false }),
});

export interface PortalHarness {
  base: string;
  answers: Record<PortalSubject, (request: Record<string, unknown>) => unknown>;
  /** Requests the responder took, by subject, in order. */
  seen: Array<{ subject: PortalSubject; request: Record<string, unknown> }>;
  metrics: Registry;
  logLines: string[];
  portal: EnrollmentPortalComponent;
  close(): Promise<void>;
}

/** `publicUrl`: what the settings say (default: the portal's own address, so a browser can follow it). */
export async function startPortalHarness(options: { publicUrl?: string; env?: Record<string, string> } = {}): Promise<PortalHarness> {
  const keyring = new Keyring(randomBytes(32));
  const prefix = uniquePrefix('portal');
  const responder = await NatsBus.connect({ servers: TEST_NATS_URL }, { seal: installationSeals(keyring) });
  const portalBus = await NatsBus.connect({ servers: TEST_NATS_URL }, { seal: singleSeal(new BusSeal(portalBusKey(keyring))) });
  const seen: PortalHarness['seen'] = [];
  const harness = { answers: {} as PortalHarness['answers'], seen } as PortalHarness;
  await responder.serve({
    name: 'portal-responder',
    version: '1.0.0',
    endpoints: PORTAL_SUBJECTS.map((name) => ({
      name,
      subject: subject(prefix, name),
      handler: async (request: unknown) => {
        seen.push({ subject: name, request: request as Record<string, unknown> });
        return harness.answers[name](request as Record<string, unknown>);
      },
    })),
  });
  const metrics = new Registry();
  const logLines: string[] = [];
  const context = {
    env: {
      PORTAL_PORT: '0',
      PORTAL_BIND: '127.0.0.1',
      PORTAL_SETTINGS_CACHE_MS: '0',
      PORTAL_REQUEST_TIMEOUT_MS: '2000',
      PORTAL_RATE_LIMIT_PER_MINUTE: '1000',
      ...options.env,
    },
    logger: createLogger('enrollment-portal', { level: 'debug', destination: { write: (line: string) => void logLines.push(line) } }),
    bus: portalBus,
    subjectPrefix: prefix,
    // The portal declares neither (nor the keyring): a process running it alone has none.
    db: {} as ServiceContext['db'],
    state: {} as ServiceContext['state'],
    keyring: {} as ServiceContext['keyring'],
    metrics,
    portalKey: portalBusKey(keyring),
  } satisfies ServiceContext;
  const portal = await createEnrollmentPortal(context);
  await portal.start();
  const base = `http://127.0.0.1:${portal.port}`;
  Object.assign(harness, {
    base,
    metrics,
    logLines,
    portal,
    async close() {
      await portal.stop();
      await portalBus.drain();
      await responder.drain();
    },
  });
  harness.answers = DEFAULT_ANSWERS(options.publicUrl ?? base);
  return harness;
}
