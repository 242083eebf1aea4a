/** The enrolment portal's environment configuration (see the README's configuration table). */
import { z } from 'zod';
import { env, loadConfig, describeKey } from '@tollgate/config';
import { parsePortalBusKey } from '@tollgate/security';

export const COMPONENT = 'enrollment-portal';

export const enrollmentPortalConfigShape = {
  PORTAL_PORT: describeKey(env.port(8090), 'port of the enrolment portal (HTTP; put it behind a TLS ingress)'),
  PORTAL_BIND: describeKey(env.string('0.0.0.0'), 'address the enrolment portal listens on'),
  /**
   * Read by the launcher, not the component: a process running only the portal seals its bus
   * traffic with this key and holds no master key. With the master key in the process it is unused.
   */
  PORTAL_BUS_KEY: describeKey(
    z
      .string()
      .refine((v) => parsePortalBusKey(v) !== undefined, 'must be 32 bytes encoded as base64')
      .optional(),
    'the portal’s bus key (32 bytes, base64; `tollgate keys portal` prints it): required when the process runs only the portal, which then holds no master key',
  ),
  PORTAL_TRUST_PROXY: describeKey(
    env.bool(false),
    'believe X-Forwarded-For from the one proxy in front (the ingress) for the source address of rate limits and the audit log (https, HSTS and Secure cookies follow the public URL in the portal settings)',
  ),
  PORTAL_SETTINGS_CACHE_MS: describeKey(env.int(30_000, 0, 600_000), 'how long the portal settings from the admin API are cached'),
  PORTAL_REQUEST_TIMEOUT_MS: describeKey(
    env.int(10_000, 500, 60_000),
    'how long the portal waits for the admin API per step (a sign-in includes a call to Entra)',
  ),
  PORTAL_RATE_LIMIT_PER_MINUTE: describeKey(
    env.int(60, 1, 10_000),
    'page requests per source address and minute before the portal answers 429 (the admin API keeps the real limits)',
  ),
};

export interface EnrollmentPortalConfig {
  port: number;
  bind: string;
  trustProxy: boolean;
  settingsCacheMs: number;
  requestTimeoutMs: number;
  rateLimitPerMinute: number;
}

export function loadEnrollmentPortalConfig(source: Record<string, string | undefined>): EnrollmentPortalConfig {
  const raw = loadConfig(COMPONENT, enrollmentPortalConfigShape, source);
  return {
    port: raw.PORTAL_PORT,
    bind: raw.PORTAL_BIND,
    trustProxy: raw.PORTAL_TRUST_PROXY,
    settingsCacheMs: raw.PORTAL_SETTINGS_CACHE_MS,
    requestTimeoutMs: raw.PORTAL_REQUEST_TIMEOUT_MS,
    rateLimitPerMinute: raw.PORTAL_RATE_LIMIT_PER_MINUTE,
  };
}
