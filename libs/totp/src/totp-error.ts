import { TollgateError } from '@tollgate/contracts';

/**
 * The one error class of @tollgate/totp. `code` is stable (tests and callers switch on it);
 * the message never contains the seed, a code or any other input value.
 */
export type TotpErrorCode = 'invalid_base32' | 'seed_too_short' | 'seed_too_long' | 'invalid_parameters';

export class TotpError extends TollgateError<TotpErrorCode> {}
