import { connect, headers as natsHeaders, ServiceError, type ConnectionOptions, type NatsConnection, type Service, type Msg, type MsgHdrs, type NatsError } from 'nats';
import { BusError, QUEUE_GROUP } from '@tollgate/contracts';
import type { Bus, BusObserver, BusRequestOptions, Served, ServiceSpec } from './bus.js';
import { RequestMux } from './request-mux.js';
import { TurnQueue } from './turn-queue.js';
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
  // Requests and replies leave together at the end of the turn (one socket write, not one each).
  readonly #outbound = new TurnQueue();
  readonly #requests: RequestMux;
  readonly #observer: BusObserver | undefined;

  private constructor(nc: NatsConnection, observer?: BusObserver) {
    this.#nc = nc;
    this.#observer = observer;
    this.#requests = new RequestMux(nc);
    // Once the connection is gone for good no reply can come: fail the waiting requests now.
    void nc.closed().then(() => this.#requests.close());
  }

  /** `observer` hears of every request (outcome and duration), e.g. for metrics. */
  static async connect(options: ConnectionOptions, observer?: BusObserver): Promise<NatsBus> {
    // noAsyncTraces: nats.js otherwise builds an Error (with a stack) for every request, a measurable cost
    // on the hot path; our BusError codes say all a caller needs. (Requests go through RequestMux,
    // which avoids the Error nats.js builds even then.)
    const nc = await connect({ maxReconnectAttempts: -1, reconnectTimeWait: 500, noAsyncTraces: true, ...options });
    return new NatsBus(nc, observer);
  }

  get connection(): NatsConnection {
    return this.#nc;
  }

  async request<T>(subject: string, payload: unknown, options: BusRequestOptions): Promise<T> {
    return withRequestSpan(subject, async (carrier) => {
      // Headers only when there is trace context to carry (with no tracer installed there is none).
      const keys = Object.keys(carrier);
      let headers: MsgHdrs | undefined;
      if (keys.length > 0) {
        headers = natsHeaders();
        for (const k of keys) headers.set(k, carrier[k]!);
      }
      const data = encode(payload);
      let reply: Msg;
      try {
        reply = await this.#outbound.defer(() =>
          this.#requests.request(subject, data, { timeoutMs: options.timeoutMs, ...(headers ? { headers } : {}) }),
        );
      } catch (error) {
        throw toBusError(error, subject);
      }
      const serviceError = ServiceError.toServiceError(reply);
      if (serviceError) {
        throw new BusError(serviceError.code === 400 ? 'bad_request' : 'internal', serviceError.message);
      }
      return decode(reply.data) as T;
    }, this.#observer);
  }

  async serve(spec: ServiceSpec): Promise<Served> {
    const mine = new Set<Promise<unknown>>();
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
              (result) => {
                let data: Uint8Array;
                try {
                  data = encode(result);
                } catch {
                  // A reply that cannot be encoded is an internal error, answered at once.
                  return this.#outbound.defer(() => msg.respondError(500, 'internal error'));
                }
                return this.#outbound.defer(() => msg.respond(data));
              },
              (error) => {
                const code = error instanceof BusError ? error.code : 'internal';
                const message = error instanceof BusError ? error.message : 'internal error';
                return this.#outbound.defer(() => msg.respondError(ERROR_STATUS[code] ?? 500, message));
              },
            )
            // A reply that cannot be sent (connection gone) leaves the requester to its timeout.
            .catch(() => undefined)
            .finally(() => {
              this.#inFlight.delete(work);
              mine.delete(work);
            });
          this.#inFlight.add(work);
          mine.add(work);
        },
      });
    }
    // Once serve() returns the server knows the endpoints: a request sent next, from any
    // connection, finds them (rather than racing the subscriptions to the server).
    await this.#nc.flush();
    return {
      stop: async () => {
        await service.stop().catch(() => undefined);
        // Once the server has the unsubscription, new requests go to the other replicas.
        await this.#nc.flush().catch(() => undefined);
        await Promise.allSettled([...mine]);
      },
    };
  }

  publish(subject: string, payload: unknown): void {
    // Whatever was queued first goes first: events keep their order relative to requests.
    this.#outbound.flush();
    this.#nc.publish(subject, encode(payload));
  }

  subscribe(subject: string, handler: (payload: unknown) => void): () => void {
    this.#outbound.flush();
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
    // Stop taking requests, finish the ones in hand (their replies sent), then drain publishes and close.
    await Promise.all(this.#services.map((s) => s.stop().catch(() => undefined)));
    await Promise.allSettled([...this.#inFlight]);
    this.#outbound.flush();
    await this.#nc.drain().catch(() => this.#nc.close());
  }
}
