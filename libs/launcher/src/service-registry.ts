/**
 * Every service `tollgate run` knows, by its manifest: the one list the launcher, the banner and
 * the scripts (validate-deploy, bench, the README's configuration table) read. A new service adds
 * its manifest here (and the package to the launcher's package.json and tsconfig references;
 * scripts/check-workspaces.mjs says if one is missing). The start order comes from the manifests'
 * dependencies; within one wave of it, and wherever services are listed, this list's order.
 * Each comes from its package's light `manifest` entry: a service's code (and what it imports) loads
 * only when a process runs it (`create`), so a process holds the libraries of its own services alone.
 */
import type { ServiceManifest } from '@tollgate/runtime';
import { otpVerifier } from '@tollgate/otp-verifier/manifest';
import { entraVerifier } from '@tollgate/entra-verifier/manifest';
import { ldapVerifier } from '@tollgate/ldap-verifier/manifest';
import { aggregator } from '@tollgate/aggregator/manifest';
import { adminApi } from '@tollgate/admin-api/manifest';
import { radiusGateway } from '@tollgate/radius-gateway/manifest';
import { enrollmentPortal } from '@tollgate/enrollment-portal/manifest';
import { startOrder } from './service-order.js';

/** In the order users read them: the gateway first, as a request travels. */
export const MANIFESTS: readonly ServiceManifest[] = [
  radiusGateway,
  aggregator,
  otpVerifier,
  entraVerifier,
  ldapVerifier,
  adminApi,
  enrollmentPortal,
];

/** The manifests in start order (computed once: a cycle or unknown dependency fails at import, naming it). */
export const START_ORDER: readonly ServiceManifest[] = startOrder(MANIFESTS);

/** The target names, in the registry's order. */
export const SERVICE_NAMES: readonly string[] = MANIFESTS.map((m) => m.name);
