import type { ServiceManifest } from '@tollgate/runtime';
import { gatewayConfigShape, loadGatewayConfig } from './gateway-config.js';

/** radius-gateway's manifest: what the launcher, the banner and the deployment checks know of it. */
export const radiusGateway: ServiceManifest = {
  name: 'radius-gateway',
  description: 'answers PAP Access-Requests from configured NAS over UDP, asking the aggregator for each decision',
  dependsOn: ['aggregator'],
  backends: ['bus', 'database', 'state'],
  config: gatewayConfigShape,
  listens: [
    { name: 'radius', label: 'RADIUS', protocol: 'udp', bindKey: 'RADIUS_BIND', portKey: 'RADIUS_AUTH_PORT', note: 'authentication, PAP' },
  ],
  metrics: [
    'tollgate_radius_requests_total',
    'tollgate_radius_invalid_attributes_total',
    'tollgate_radius_reply_attributes_dropped_total',
    'tollgate_radius_dropped_total',
    'tollgate_radius_retransmits_total',
    'tollgate_radius_request_duration_seconds',
    'tollgate_radius_status_server_total',
    'tollgate_radius_clients',
    'tollgate_radius_client_lookups_total',
  ],
  bus: { serves: [], requests: ['decide'], publishes: [], subscribes: ['configChanged'] },
  async create(context) {
    const config = loadGatewayConfig(context.env);
    const { RadiusGateway } = await import('./radius-gateway.js');
    return new RadiusGateway(context, config);
  },
};
