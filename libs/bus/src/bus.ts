/**
 * The message bus as the services see it: request/reply to named, versioned service endpoints
 * (one replica of a queue group answers), and fan-out events. NATS in a distributed install,
 * an in-process transport with the same subjects, payloads and timeouts in the embedded one.
 * Payloads are JSON; W3C trace context travels in message headers.
 */
export interface BusRequestOptions {
  timeoutMs: number;
}

/** What became of one request: `ok`, or the BusError code it failed with. */
export type BusRequestOutcome = 'ok' | 'timeout' | 'no_responders' | 'bad_request' | 'internal' | 'closed';

/** What a refused message was: a request served here, a reply to a request sent here, or an event. */
export type RefusedKind = 'request' | 'reply' | 'event';

/** Told of every request a bus sends (the launcher turns this into Prometheus metrics). */
export interface BusObserver {
  requestDone(subject: string, outcome: BusRequestOutcome, seconds: number): void;
  /**
   * A message that failed its seal check (unsealed, bad seal, or out of its time) and was
   * dropped: a forged or replayed message, or a peer with another master key.
   */
  messageRefused?(subject: string, kind: RefusedKind, reason: string): void;
}

/** Answers one request. Throw a BusError('bad_request', …) for a bad payload; anything else is `internal`. */
export type BusHandler = (payload: unknown) => Promise<unknown>;

export interface EndpointSpec {
  /** A simple token: the endpoint's name in $SRV INFO/STATS. */
  name: string;
  subject: string;
  handler: BusHandler;
}

export interface ServiceSpec {
  name: string;
  version: string;
  description?: string;
  endpoints: EndpointSpec[];
}

/** What serving endpoints gives back: the way to stop taking their requests. */
export interface Served {
  /**
   * Stops taking requests on these endpoints (other replicas of the queue group get them from
   * now on) and resolves once the handlers already running have answered.
   */
  stop(): Promise<void>;
}

/** One replica of a bus service as service discovery sees it (no payloads, no secrets). */
export interface ServiceReplica {
  name: string;
  /** The replica's instance id (the NATS service id; in process, one per `serve` call). */
  id: string;
  version: string;
  /** ISO time the replica started serving, when known. */
  startedAt: string | null;
  /** Requests it has answered (errors included: they travel as sealed replies, which NATS counts as answers). */
  requests: number;
}

export interface Bus {
  readonly kind: 'nats' | 'memory';
  /** Sends a request and resolves with the decoded reply; rejects with a BusError. */
  request<T = unknown>(subject: string, payload: unknown, options: BusRequestOptions): Promise<T>;
  /** Starts answering on the spec's endpoints, in the shared queue group. */
  serve(spec: ServiceSpec): Promise<Served>;
  publish(subject: string, payload: unknown): void;
  /** Fan-out subscription (every subscriber hears every message). Returns an unsubscribe. */
  subscribe(subject: string, handler: (payload: unknown) => void): () => void;
  healthy(): boolean;
  /** What the connection's server enforces (NATS only: an in-process bus has no wire to protect). */
  security?(): { authRequired: boolean; tls: boolean };
  /**
   * The service replicas that answer discovery within `timeoutMs`: on NATS every replica of every
   * service on the bus ($SRV.STATS), in process the services this bus serves.
   */
  replicas?(timeoutMs: number): Promise<ServiceReplica[]>;
  /** Stops taking requests, waits for the ones in hand, then closes. */
  drain(): Promise<void>;
}
