import { isIP } from 'node:net';
import { env, loadConfig } from '@tollgate/config';

/**
 * The gateway's environment variables. Defaults suit one NAS-facing replica; the decision
 * timeout stays under the 3 s most NAS wait before their first retransmission.
 */
export const gatewayConfigShape = {
  /** Address the UDP socket binds to; `::` takes IPv4 and IPv6 on a dual-stack host. */
  RADIUS_BIND: env.string('0.0.0.0').refine((v) => isIP(v) !== 0, { message: 'must be an IPv4 or IPv6 address' }),
  /** Authentication port; 0 picks a free one (tests). */
  RADIUS_AUTH_PORT: env.port(1812),
  /** Requested kernel socket buffers (receive and send); the kernel may grant less. */
  RADIUS_SOCKET_BUFFER_BYTES: env.int(8 * 1024 * 1024, 64 * 1024, 256 * 1024 * 1024),
  /** How long the gateway waits for a decision before answering Access-Reject. */
  RADIUS_DECISION_TIMEOUT_MS: env.int(2800, 100, 30_000),
  /**
   * The part of the decision deadline kept back to ask another aggregator replica when the first
   * did not answer (it died holding the request). The first gets the rest as its budget and a
   * live one always answers within it, so nothing is asked twice while replicas are healthy.
   * 0 sends one request with the whole deadline.
   */
  RADIUS_DECISION_RESERVE_MS: env.int(700, 0, 30_000),
  /** How long a response is kept to answer retransmissions (RFC 5080 sec. 2.2.2). */
  RADIUS_RETRANSMIT_WINDOW_MS: env.int(30_000, 1000, 600_000),
  /** Put the User-Name on the request's trace span (`enduser.id`); off, traces carry no user names. */
  TOLLGATE_TRACE_USERNAMES: env.bool(false),
  /** Safety-net reload of the RADIUS clients, in case a config event was missed. */
  RADIUS_CLIENTS_RELOAD_MS: env.int(60_000, 1000, 3_600_000),
};

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;

export function loadGatewayConfig(environment: Record<string, string | undefined>) {
  return loadConfig('radius-gateway', gatewayConfigShape, environment);
}
