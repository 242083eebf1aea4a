import { connect, headers as natsHeaders, ServiceError, type ConnectionOptions, type NatsConnection, type Service, type Msg, type NatsError } from 'nats';
import { BusError, QUEUE_GROUP } from '@tollgate/contracts';
import type { Bus, BusRequestOptions, ServiceSpec } from './bus.js';
import { withHandlerSpan, withRequestSpan, type HeaderMap } from './trace-headers.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encode(payload: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(payload));
}

export function decode(data: Uint8Array): unknown {
  return data.length === 0 ? null : JSON.parse(decoder.decode(data));
}

const ERROR_STATUS: Record<string, number> = { bad_request: 400, internal: 500 };

/** Maps a failed request (NATS error or service error reply) to a BusError. */
function toBusError(error: unknown, subject: string): BusError {
  if (error instanceof BusError) return error;
  const code = (error as NatsError)?.code;
  if (code === 'TIMEOUT') return new BusError('timeout', `no reply on ${subject} in time`);
  if (code === '503') return new BusError('no_responders', `no service answers on ${subject}`);
  if (code === 'CONNECTION_CLOSED' || code === 'CONNECTION_DRAINING') return new BusError('closed', 'bus connection is closed');
  return new BusError('internal', `request on ${subject} failed`);
}

export class NatsBus implements Bus {
  readonly kind = 'nats' as const;
  readonly #nc: NatsConnection;
  readonly #services: Service[] = [];
  readonly #inFlight = new Set<Promise<unknown>>();

  private constructor(nc: NatsConnection) {
    this.#nc = nc;
  }

  static async connect(options: ConnectionOptions): Promise<NatsBus> {
    // noAsyncTraces: nats.js otherwise builds an Error (with a stack) for every request, a measurable cost
    // on the hot path; our BusError codes say all a caller needs.
    const nc = await connect({ maxReconnectAttempts: -1, reconnectTimeWait: 500, noAsyncTraces: true, ...options });
    return new NatsBus(nc);
  }

  get connection(): NatsConnection {
    return this.#nc;
  }

  async request<T>(subject: string, payload: unknown, options: BusRequestOptions): Promise<T> {
    return withRequestSpan(subject, async (carrier) => {
      const h = natsHeaders();
      for (const [k, v] of Object.entries(carrier)) h.set(k, v);
      let reply: Msg;
      try {
        reply = await this.#nc.request(subject, encode(payload), { timeout: options.timeoutMs, headers: h });
      } catch (error) {
        throw toBusError(error, subject);
      }
      const serviceError = ServiceError.toServiceError(reply);
      if (serviceError) {
        throw new BusError(serviceError.code === 400 ? 'bad_request' : 'internal', serviceError.message);
      }
      return decode(reply.data) as T;
    });
  }

  async serve(spec: ServiceSpec): Promise<void> {
    const service = await this.#nc.services.add({
      name: spec.name,
      version: spec.version,
      description: spec.description ?? '',
      queue: QUEUE_GROUP,
    });
    this.#services.push(service);
    for (const endpoint of spec.endpoints) {
      service.addEndpoint(endpoint.name, {
        subject: endpoint.subject,
        handler: (err, msg) => {
          if (err) return;
          const carrier: HeaderMap = {};
          if (msg.headers) for (const [k, v] of msg.headers) carrier[k] = v[0] ?? '';
          const work = withHandlerSpan(endpoint.subject, carrier, async () => endpoint.handler(decode(msg.data)))
            .then(
              (result) => msg.respond(encode(result)),
              (error) => {
                const code = error instanceof BusError ? error.code : 'internal';
                msg.respondError(ERROR_STATUS[code] ?? 500, error instanceof BusError ? error.message : 'internal error');
              },
            )
            .finally(() => this.#inFlight.delete(work));
          this.#inFlight.add(work);
        },
      });
    }
  }

  publish(subject: string, payload: unknown): void {
    this.#nc.publish(subject, encode(payload));
  }

  subscribe(subject: string, handler: (payload: unknown) => void): () => void {
    const sub = this.#nc.subscribe(subject, {
      callback: (err, msg) => {
        if (err) return;
        try {
          handler(decode(msg.data));
        } catch {
          // A bad event must not kill the subscription.
        }
      },
    });
    return () => sub.unsubscribe();
  }

  healthy(): boolean {
    return !this.#nc.isClosed() && !this.#nc.isDraining() && this.#nc.info !== undefined;
  }

  async drain(): Promise<void> {
    if (this.#nc.isClosed()) return;
    // Stop taking requests, finish the ones in hand, then drain publishes and close.
    await Promise.all(this.#services.map((s) => s.stop().catch(() => undefined)));
    await Promise.allSettled([...this.#inFlight]);
    await this.#nc.drain().catch(() => this.#nc.close());
  }
}
