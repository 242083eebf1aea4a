import { TollgateError } from '@tollgate/contracts';

/**
 * The one error class of @tollgate/state. `state_timeout`: the backend did not answer within
 * the command's time; `state_unavailable`: it cannot be asked now (not connected, connection
 * lost). Messages name the operation, never a key or a value.
 */
export type StateErrorCode = 'state_timeout' | 'state_unavailable';

export class StateError extends TollgateError<StateErrorCode> {}
