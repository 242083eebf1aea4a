import { errorFields } from '@tollgate/logging';
import { subject } from '@tollgate/contracts';
import { onConfigChanged, type Component, type ServiceContext } from '@tollgate/runtime';
import { loadDictionaries } from '@tollgate/radius-dictionary';
import { ClientRegistry } from './client-registry.js';
import type { GatewayConfig } from './gateway-config.js';
import { registerClientRegistryMetrics, registerGatewayMetrics } from './gateway-metrics.js';
import { PacketHandler } from './packet-handler.js';
import { requestDecision } from './request-decision.js';
import { RetransmitCache } from './retransmit-cache.js';
import { UdpServer } from './udp-server.js';

/**
 * The radius-gateway component: wires the client registry (kept fresh by config events and a
 * periodic reload), the retransmission cache, the decision call and the UDP socket.
 */
export class RadiusGateway implements Component {
  readonly name = 'radius-gateway';
  readonly #context: ServiceContext;
  readonly #config: GatewayConfig;
  readonly #registry: ClientRegistry;
  readonly #server: UdpServer;
  #unsubscribe: (() => void) | undefined;
  #reloadTimer: NodeJS.Timeout | undefined;

  constructor(context: ServiceContext, config: GatewayConfig) {
    this.#context = context;
    this.#config = config;
    const logger = context.logger;
    this.#registry = new ClientRegistry({ db: context.db, keyring: context.keyring, logger });
    registerClientRegistryMetrics(context.metrics, this.#registry);
    const decideSubject = subject(context.subjectPrefix, 'decide');
    const handler = new PacketHandler({
      clients: this.#registry,
      cache: new RetransmitCache(context.state, {
        windowMs: config.RADIUS_RETRANSMIT_WINDOW_MS,
        // Outlives the decision deadline, yet frees the key soon if the replica that owns it dies.
        pendingTtlMs: config.RADIUS_DECISION_TIMEOUT_MS + 2000,
      }),
      decide: (request, timeoutMs) => requestDecision(context.bus, decideSubject, request, timeoutMs, config.RADIUS_DECISION_RESERVE_MS),
      metrics: registerGatewayMetrics(context.metrics),
      logger,
      decisionTimeoutMs: config.RADIUS_DECISION_TIMEOUT_MS,
      // A dictionary that does not load stops start-up, naming its file and line.
      dictionary: loadDictionaries({ directory: config.RADIUS_DICTIONARY_DIR }),
      traceUsernames: config.TOLLGATE_TRACE_USERNAMES,
    });
    this.#server = new UdpServer({
      bind: config.RADIUS_BIND,
      port: config.RADIUS_AUTH_PORT,
      socketBufferBytes: config.RADIUS_SOCKET_BUFFER_BYTES,
      drainTimeoutMs: config.RADIUS_DECISION_TIMEOUT_MS + 500,
      logger,
      handle: (datagram, source) => handler.handle(datagram, source),
    });
  }

  /** Loads the clients (failing fast when the store is down), then opens the socket. */
  async start(): Promise<void> {
    await this.#registry.reload();
    this.#unsubscribe = onConfigChanged(this.#context, (event) => {
      if (event.kind === 'radius_clients' || event.kind === 'all') this.#reload('config event');
    });
    this.#reloadTimer = setInterval(() => this.#reload('periodic'), this.#config.RADIUS_CLIENTS_RELOAD_MS);
    this.#reloadTimer.unref();
    try {
      await this.#server.start();
    } catch (error) {
      // e.g. EADDRINUSE: leave nothing running behind a failed start.
      this.#unsubscribe();
      this.#unsubscribe = undefined;
      clearInterval(this.#reloadTimer);
      throw error;
    }
  }

  #reload(trigger: string): void {
    this.#registry.reload().catch((error: unknown) => {
      this.#context.logger.warn({ trigger, err: errorFields(error) }, 'radius clients reload failed; keeping the previous set');
    });
  }

  /** The UDP port the socket is bound to. */
  port(): number {
    return this.#server.port();
  }

  listening(): Record<string, { bind: string; port: number }> {
    return { radius: { bind: this.#config.RADIUS_BIND, port: this.port() } };
  }

  ready(): boolean {
    return this.#server.ready();
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    clearInterval(this.#reloadTimer);
    await this.#server.stop();
  }
}
