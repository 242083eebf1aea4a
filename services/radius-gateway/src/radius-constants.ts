/**
 * RADIUS numbers the gateway needs (RFC 2865, 2869, 3579, 5997). Only the authentication port
 * is served, so the set is small on purpose.
 */
export const Code = {
  AccessRequest: 1,
  AccessAccept: 2,
  AccessReject: 3,
  AccountingRequest: 4,
  AccessChallenge: 11,
  StatusServer: 12,
} as const;

export const Attr = {
  UserName: 1,
  UserPassword: 2,
  ChapPassword: 3,
  ReplyMessage: 18,
  State: 24,
  CallingStationId: 31,
  NasIdentifier: 32,
  ProxyState: 33,
  EapMessage: 79,
  MessageAuthenticator: 80,
} as const;

export const HEADER_LENGTH = 20;
export const AUTHENTICATOR_OFFSET = 4;
export const AUTHENTICATOR_LENGTH = 16;
/** RFC 2865 sec. 3: a packet is 20..4096 octets. */
export const MIN_PACKET_LENGTH = HEADER_LENGTH;
export const MAX_PACKET_LENGTH = 4096;
/** An attribute value is at most 253 octets (one octet of length covers type+length+value). */
export const MAX_ATTRIBUTE_VALUE_LENGTH = 253;
export const MESSAGE_AUTHENTICATOR_LENGTH = 16;
/** RFC 2865 sec. 5.2: the hidden User-Password is 16..128 octets, a multiple of 16. */
export const MAX_USER_PASSWORD_LENGTH = 128;
