/**
 * The message bus as the services see it: request/reply to named, versioned service endpoints
 * (one replica of a queue group answers), and fan-out events. NATS in a distributed install,
 * an in-process transport with the same subjects, payloads and timeouts in the embedded one.
 * Payloads are JSON; W3C trace context travels in message headers.
 */
export interface BusRequestOptions {
  timeoutMs: number;
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

export interface Bus {
  readonly kind: 'nats' | 'memory';
  /** Sends a request and resolves with the decoded reply; rejects with a BusError. */
  request<T = unknown>(subject: string, payload: unknown, options: BusRequestOptions): Promise<T>;
  /** Starts answering on the spec's endpoints, in the shared queue group. */
  serve(spec: ServiceSpec): Promise<void>;
  publish(subject: string, payload: unknown): void;
  /** Fan-out subscription (every subscriber hears every message). Returns an unsubscribe. */
  subscribe(subject: string, handler: (payload: unknown) => void): () => void;
  healthy(): boolean;
  /** Stops taking requests, waits for the ones in hand, then closes. */
  drain(): Promise<void>;
}
