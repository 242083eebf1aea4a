import { createHash } from 'node:crypto';
import { MAX_USER_PASSWORD_LENGTH } from './radius-constants.js';
import { TollgateError } from '@tollgate/contracts';

/**
 * PAP User-Password hiding (RFC 2865 sec. 5.2): the padded password is XORed with a chain of
 * MD5(secret + previous block), the first block keyed by the Request Authenticator.
 */
export class UserPasswordError extends TollgateError<'user_password_malformed'> {
  constructor(message: string) {
    super('user_password_malformed', message);
  }
}

/** Reveals a hidden User-Password; trailing NUL padding is removed. Throws UserPasswordError on a bad length. */
export function decodeUserPassword(hidden: Buffer, secret: Buffer, requestAuthenticator: Buffer): Buffer {
  if (hidden.length < 16 || hidden.length > MAX_USER_PASSWORD_LENGTH || hidden.length % 16 !== 0) {
    throw new UserPasswordError('User-Password must be 16..128 octets, a multiple of 16');
  }
  const plain = Buffer.alloc(hidden.length);
  let previous = requestAuthenticator;
  for (let offset = 0; offset < hidden.length; offset += 16) {
    const key = createHash('md5').update(secret).update(previous).digest();
    for (let i = 0; i < 16; i++) plain[offset + i] = hidden[offset + i]! ^ key[i]!;
    previous = hidden.subarray(offset, offset + 16);
  }
  let end = plain.length;
  while (end > 0 && plain[end - 1] === 0) end--;
  const password = Buffer.from(plain.subarray(0, end));
  plain.fill(0);
  return password;
}
