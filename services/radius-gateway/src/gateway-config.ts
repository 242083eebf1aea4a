import { isIP } from 'node:net';
import { env, loadConfig, describeKey } from '@tollgate/config';
import { dictionaryConfigShape } from '@tollgate/radius-dictionary';

/**
 * The gateway's environment variables. Defaults suit one NAS-facing replica; the decision
 * timeout stays under the 3 s most NAS wait before their first retransmission.
 */
export const gatewayConfigShape = {
  /** Address the UDP socket binds to; `::` takes IPv4 and IPv6 on a dual-stack host. */
  RADIUS_BIND: describeKey(
    env.string('0.0.0.0').refine((v) => isIP(v) !== 0, { message: 'must be an IPv4 or IPv6 address' }),
    'address to bind; `::` for IPv4 and IPv6',
  ),
  /** Authentication port; 0 picks a free one (tests). */
  RADIUS_AUTH_PORT: describeKey(env.port(1812), 'UDP authentication port'),
  /** Requested kernel socket buffers (receive and send); the kernel may grant less. */
  RADIUS_SOCKET_BUFFER_BYTES: describeKey(
    env.int(8 * 1024 * 1024, 64 * 1024, 256 * 1024 * 1024),
    'UDP receive/send buffer size asked of the kernel (the granted size is logged; raise `net.core.rmem_max` if it is lower)',
  ),
  /** How long the gateway waits for a decision before answering Access-Reject. */
  RADIUS_DECISION_TIMEOUT_MS: describeKey(
    env.int(2800, 100, 30_000),
    "answer Access-Reject if no decision came by then (below a NAS's usual 3-5 s timeout)",
  ),
  /**
   * The part of the decision deadline kept back to ask another aggregator replica when the first
   * did not answer (it died holding the request). The first gets the rest as its budget and a
   * live one always answers within it, so nothing is asked twice while replicas are healthy.
   * 0 sends one request with the whole deadline.
   */
  RADIUS_DECISION_RESERVE_MS: describeKey(
    env.int(700, 0, 30_000),
    'part of the deadline kept back to ask another aggregator replica when the first did not answer (it died); 0 sends one request with the whole deadline',
  ),
  /** How long a response is kept to answer retransmissions (RFC 5080 sec. 2.2.2). */
  RADIUS_RETRANSMIT_WINDOW_MS: describeKey(env.int(30_000, 1000, 600_000), 'how long an answer is kept for retransmissions (RFC 5080)'),
  /** Put the User-Name on the request's trace span (`enduser.id`); off, traces carry no user names. */
  TOLLGATE_TRACE_USERNAMES: describeKey(env.bool(false), "put the User-Name on the request's root span (`enduser.id`)"),
  /** Safety-net reload of the RADIUS clients, in case a config event was missed. */
  RADIUS_CLIENTS_RELOAD_MS: describeKey(
    env.int(60_000, 1000, 3_600_000),
    'periodic reload of RADIUS clients (changes also arrive at once by event)',
  ),
  /** Extra dictionaries for reply attributes; the admin API validates with the same key. */
  ...dictionaryConfigShape,
};

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;

export function loadGatewayConfig(environment: Record<string, string | undefined>) {
  return loadConfig('radius-gateway', gatewayConfigShape, environment);
}
