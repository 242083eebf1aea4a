/**
 * radius-gateway: answers PAP Access-Requests from configured NAS over UDP by asking the
 * aggregator for a decision on the bus; answers Status-Server itself.
 */
import type { ServiceContext, ServiceDefinition } from '@tollgate/runtime';
import { loadGatewayConfig } from './gateway-config.js';
import { RadiusGateway } from './radius-gateway.js';

export async function createRadiusGateway(context: ServiceContext): Promise<RadiusGateway> {
  return new RadiusGateway(context, loadGatewayConfig(context.env));
}

export const radiusGateway: ServiceDefinition = {
  name: 'radius-gateway',
  create: createRadiusGateway,
};

export { RadiusGateway } from './radius-gateway.js';
export { gatewayConfigShape, type GatewayConfig } from './gateway-config.js';
export { decodeRequest, type DecodeOutcome, type DecodeResult, type RadiusRequest } from './decode-request.js';
export { encodeResponse, type ResponseSpec } from './encode-response.js';
export { GENERIC_REJECT_MESSAGE } from './packet-handler.js';
