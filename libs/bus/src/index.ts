export type {
  Bus,
  BusHandler,
  BusObserver,
  BusRequestOptions,
  BusRequestOutcome,
  EndpointSpec,
  Served,
  ServiceReplica,
  ServiceSpec,
} from './bus.js';
export { NatsBus, encode, decode } from './nats-bus.js';
export { MemoryBus } from './memory-bus.js';
export { withHandlerSpan, withRequestSpan, type HeaderMap } from './trace-headers.js';
export { tracingInstalled } from './tracing-installed.js';
