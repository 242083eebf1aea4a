import {
  connect,
  headers as natsHeaders,
  type ConnectionOptions,
  type NatsConnection,
  type Service,
  type MsgHdrs,
  type NatsError,
  RequestStrategy,
} from 'nats';
import { BusError, QUEUE_GROUP, type BusErrorCode } from '@tollgate/contracts';
import { BusSeal, singleSeal, type SealSelector } from '@tollgate/security';
import type { Bus, BusObserver, BusRequestOptions, RefusedKind, Served, ServiceReplica, ServiceSpec } from './bus.js';
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

const ERROR_CODES: ReadonlySet<string> = new Set<BusErrorCode>(['timeout', 'no_responders', 'bad_request', 'internal', 'closed']);

/** The body of a sealed error reply: a code and a message, never a stack. */
interface ErrorBody {
  code: BusErrorCode;
  message: string;
}

function toErrorBody(error: unknown): ErrorBody {
  return error instanceof BusError ? { code: error.code, message: error.message } : { code: 'internal', message: 'internal error' };
}

function fromErrorBody(body: unknown): BusError {
  const { code, message } = (body ?? {}) as Partial<ErrorBody>;
  return new BusError(
    typeof code === 'string' && ERROR_CODES.has(code) ? (code as BusErrorCode) : 'internal',
    typeof message === 'string' ? message : 'internal error',
  );
}

export interface NatsBusOptions {
  /**
   * Seals every request, reply and event (one seal, or one chosen by subject: the portal's subjects
   * under the portal key); messages that fail its check are refused.
   */
  seal: BusSeal | SealSelector;
  /** Hears of every request (outcome and duration) and every refused message, e.g. for metrics. */
  observer?: BusObserver;
}

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
  readonly #seals: SealSelector;
  readonly #tls: boolean;

  private constructor(nc: NatsConnection, options: NatsBusOptions, tls: boolean) {
    this.#nc = nc;
    this.#tls = tls;
    this.#seals = options.seal instanceof BusSeal ? singleSeal(options.seal) : options.seal;
    this.#observer = options.observer;
    this.#requests = new RequestMux(nc);
    // Once the connection is gone for good no reply can come: fail the waiting requests now.
    void nc.closed().then(() => this.#requests.close());
  }

  /**
   * Every message this bus sends is sealed with `bus.seal` and every message it takes must open
   * with it: the NATS server and anyone else on it see no payload and cannot forge an answer.
   */
  static async connect(options: ConnectionOptions, bus: NatsBusOptions): Promise<NatsBus> {
    // noAsyncTraces: nats.js otherwise builds an Error (with a stack) for every request, a measurable cost
    // on the hot path; our BusError codes say all a caller needs. (Requests go through RequestMux,
    // which avoids the Error nats.js builds even then.)
    const nc = await connect({ maxReconnectAttempts: -1, reconnectTimeWait: 500, noAsyncTraces: true, ...options });
    return new NatsBus(nc, bus, options.tls !== undefined && options.tls !== null);
  }

  get connection(): NatsConnection {
    return this.#nc;
  }

  async request<T>(subject: string, payload: unknown, options: BusRequestOptions): Promise<T> {
    return withRequestSpan(
      subject,
      async (carrier) => {
        // Headers only when there is trace context to carry (with no tracer installed there is none).
        const keys = Object.keys(carrier);
        let headers: MsgHdrs | undefined;
        if (keys.length > 0) {
          headers = natsHeaders();
          for (const k of keys) headers.set(k, carrier[k]!);
        }
        const seal = this.#seals.for(subject);
        const sealed = seal.sealRequest(subject, encode(payload), options.timeoutMs);
        let reply: { kind: 'reply' | 'error'; plaintext: Uint8Array };
        try {
          reply = await this.#outbound.defer(() =>
            this.#requests.request(subject, sealed.data, {
              timeoutMs: options.timeoutMs,
              ...(headers ? { headers } : {}),
              // Only an answer sealed for this very request counts; anything else is refused and the wait goes on.
              open: (msg) => seal.openReply(subject, sealed, msg.data),
              refused: (reason) => this.#refused(subject, 'reply', reason),
            }),
          );
        } catch (error) {
          throw toBusError(error, subject);
        }
        if (reply.kind === 'error') throw fromErrorBody(decode(reply.plaintext));
        return decode(reply.plaintext) as T;
      },
      this.#observer,
    );
  }

  #refused(subject: string, kind: RefusedKind, reason: string): void {
    this.#observer?.messageRefused?.(subject, kind, reason);
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
      const seal = this.#seals.for(endpoint.subject);
      service.addEndpoint(endpoint.name, {
        subject: endpoint.subject,
        handler: (err, msg) => {
          if (err) return;
          // A request that does not open (unsealed, forged, replayed late) gets no answer at all.
          const request = seal.openRequest(endpoint.subject, msg.data);
          if (!request.ok) {
            this.#refused(endpoint.subject, 'request', request.reason);
            return;
          }
          const carrier: HeaderMap = {};
          if (msg.headers) for (const [k, v] of msg.headers) carrier[k] = v[0] ?? '';
          const answer = (kind: 'reply' | 'error', body: Uint8Array) => {
            const data = seal.sealReply(endpoint.subject, request.value.id, body, kind);
            return this.#outbound.defer(() => msg.respond(data));
          };
          const work = withHandlerSpan(endpoint.subject, carrier, async () => endpoint.handler(decode(request.value.plaintext)))
            .then(
              (result) => {
                let body: Uint8Array;
                try {
                  body = encode(result);
                } catch {
                  // A reply that cannot be encoded is an internal error, answered at once.
                  return answer('error', encode(toErrorBody(undefined)));
                }
                return answer('reply', body);
              },
              (error) => answer('error', encode(toErrorBody(error))),
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
    this.#nc.publish(subject, this.#seals.for(subject).sealEvent(subject, encode(payload)));
  }

  subscribe(subject: string, handler: (payload: unknown) => void): () => void {
    this.#outbound.flush();
    const seal = this.#seals.for(subject);
    const sub = this.#nc.subscribe(subject, {
      callback: (err, msg) => {
        if (err) return;
        const event = seal.openEvent(subject, msg.data);
        if (!event.ok) {
          this.#refused(subject, 'event', event.reason);
          return;
        }
        try {
          handler(decode(event.value));
        } catch {
          // A bad event must not kill the subscription.
        }
      },
    });
    return () => sub.unsubscribe();
  }

  security(): { authRequired: boolean; tls: boolean } {
    const info = this.#nc.info;
    return { authRequired: info?.auth_required === true, tls: info?.tls_required === true || this.#tls };
  }

  async replicas(timeoutMs: number): Promise<ServiceReplica[]> {
    // Every replica answers $SRV.STATS itself (the services framework, unsealed: counts and names only).
    const client = this.#nc.services.client({ strategy: RequestStrategy.Timer, maxWait: timeoutMs });
    const found: ServiceReplica[] = [];
    for await (const stats of await client.stats()) {
      const endpoints = stats.endpoints ?? [];
      found.push({
        name: stats.name,
        id: stats.id,
        version: stats.version,
        startedAt: stats.started ?? null,
        requests: endpoints.reduce((n, e) => n + (e.num_requests ?? 0), 0),
      });
    }
    return found.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
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
