/**
 * radius-gateway: answers PAP Access-Requests from configured NAS over UDP by asking the
 * aggregator for a decision on the bus; answers Status-Server itself.
 */
export { radiusGateway } from './manifest.js';
export { RadiusGateway } from './radius-gateway.js';
export { gatewayConfigShape, type GatewayConfig } from './gateway-config.js';
export { decodeRequest, type DecodeOutcome, type DecodeResult, type RadiusRequest } from './decode-request.js';
export { encodeResponse, type ResponseSpec } from './encode-response.js';
export { GENERIC_REJECT_MESSAGE } from './packet-handler.js';
