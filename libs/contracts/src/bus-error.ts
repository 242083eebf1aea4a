import { TollgateError } from './tollgate-error.js';

/**
 * Errors that cross the bus carry a stable code and a message, never a stack.
 * `timeout`: nobody answered in time; `no_responders`: no service listens on the subject;
 * `bad_request`: the payload failed its schema; `internal`: the responder failed.
 */
export type BusErrorCode = 'timeout' | 'no_responders' | 'bad_request' | 'internal' | 'closed';

export class BusError extends TollgateError<BusErrorCode> {}
