import type { ServiceManifest } from '@tollgate/runtime';
import { entraVerifierConfigShape } from './config.js';

/** entra-verifier's manifest: what the launcher, the banner and the deployment checks know of it. */
export const entraVerifier: ServiceManifest = {
  name: 'entra-verifier',
  description: "checks an Entra ID password with one ROPC call (per login, and for the admin's test connection)",
  dependsOn: [],
  backends: ['bus', 'database'],
  config: entraVerifierConfigShape,
  listens: [],
  metrics: [
    'tollgate_entra_requests_total',
    'tollgate_entra_request_duration_seconds',
    'tollgate_entra_throttle_short_circuits_total',
    'tollgate_entra_pool_connections',
    'tollgate_entra_pool_free_connections',
    'tollgate_entra_pool_pending_requests',
    'tollgate_entra_pool_running_requests',
  ],
  bus: { serves: ['verifyEntra', 'testEntra'], requests: [], publishes: [], subscribes: ['configChanged'] },
  async create(context) {
    const { createEntraVerifier } = await import('./entra-verifier.js');
    return createEntraVerifier(context);
  },
};
