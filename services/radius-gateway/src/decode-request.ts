import { verifyMessageAuthenticator } from './message-authenticator.js';
import type { RawPacket } from './parse-packet.js';
import { Attr, Code, MAX_ATTRIBUTE_VALUE_LENGTH, MESSAGE_AUTHENTICATOR_LENGTH } from './radius-constants.js';
import { decodePasswordText, decodeText, type TextProblem } from './text-attribute.js';
import { decodeUserPassword, UserPasswordError } from './user-password.js';

/**
 * Turns an authenticated Access-Request or Status-Server into the fields the gateway needs.
 * Message-Authenticator is verified whenever present and required unless the client opted
 * out (Status-Server always requires it, RFC 5997); a request with Proxy-State but no
 * Message-Authenticator is refused outright (BlastRADIUS, CVE-2024-3596). Text attributes are
 * checked only after that, and a bad one marks the request `invalid` (answered, not dropped).
 */
export type DecodeOutcome =
  | 'ok'
  | 'malformed'
  | 'unsupported_code'
  | 'missing_message_authenticator'
  | 'bad_message_authenticator'
  | 'proxy_state_without_ma';

/** How the request tries to authenticate; only `pap` can be decided. */
export type AuthenticationKind = 'pap' | 'chap' | 'eap' | 'none' | 'invalid_pap';

export interface RadiusRequest {
  kind: 'access' | 'status';
  identifier: number;
  /** Request Authenticator (a copy). */
  authenticator: Buffer;
  userName?: string;
  authentication: AuthenticationKind;
  /** Revealed User-Password, only when `authentication` is `pap`. */
  password?: string;
  nasIdentifier?: string;
  callingStationId?: string;
  /** The State attribute (a copy), sent back by the NAS with the code after an Access-Challenge. */
  state?: Buffer;
  /** Proxy-State values in order, to be echoed unchanged (RFC 2865 sec. 5.33). */
  proxyStates: Buffer[];
  /**
   * The first text attribute that breaks the rule of text-attribute.ts, if any: the request is
   * then refused (`request.malformed`) and that attribute's value is left out of the request.
   */
  invalid?: InvalidAttribute;
}

export type TextAttributeName = 'User-Name' | 'User-Password' | 'NAS-Identifier' | 'Calling-Station-Id';

/** What is wrong with an attribute, safe to log and count: its name, the problem, its length. */
export interface InvalidAttribute {
  attribute: TextAttributeName;
  problem: TextProblem;
  /** Octets of the value on the wire (for User-Password, of the hidden value). */
  octets: number;
}

/**
 * The text attributes passed on, each at most once in an Access-Request (RFC 2865 sec. 5.44):
 * a second copy is refused rather than one picked, so the name decided and the name logged
 * can never differ.
 */
const TEXT_ATTRIBUTES = new Map<number, { name: TextAttributeName; field: 'userName' | 'nasIdentifier' | 'callingStationId' }>([
  [Attr.UserName, { name: 'User-Name', field: 'userName' }],
  [Attr.NasIdentifier, { name: 'NAS-Identifier', field: 'nasIdentifier' }],
  [Attr.CallingStationId, { name: 'Calling-Station-Id', field: 'callingStationId' }],
]);

export type DecodeResult = { outcome: 'ok'; request: RadiusRequest } | { outcome: Exclude<DecodeOutcome, 'ok'>; problem: string };

export interface DecodeOptions {
  /** Require Message-Authenticator in Access-Request (true unless the NAS is legacy). */
  requireMessageAuthenticator: boolean;
}

/** Decodes a parsed packet with the client's shared secret. */
export function decodeRequest(packet: RawPacket, secret: Buffer, options: DecodeOptions): DecodeResult {
  if (packet.code !== Code.AccessRequest && packet.code !== Code.StatusServer) {
    return { outcome: 'unsupported_code', problem: `code ${packet.code} is not served on the authentication port` };
  }
  const kind = packet.code === Code.StatusServer ? 'status' : 'access';

  const authenticators = packet.attributes.filter((a) => a.type === Attr.MessageAuthenticator);
  if (authenticators.length > 1) return { outcome: 'malformed', problem: 'more than one Message-Authenticator' };
  const states = packet.attributes.filter((a) => a.type === Attr.State);
  if (states.length > 1) return { outcome: 'malformed', problem: 'more than one State' };
  if (states[0]?.value.length === 0) return { outcome: 'malformed', problem: 'State must not be empty' };
  const authenticator = authenticators[0];
  if (authenticator) {
    if (authenticator.value.length !== MESSAGE_AUTHENTICATOR_LENGTH) {
      return { outcome: 'malformed', problem: 'Message-Authenticator must be 16 octets' };
    }
    if (!verifyMessageAuthenticator(packet.bytes, authenticator.offset + 2, secret)) {
      return { outcome: 'bad_message_authenticator', problem: 'Message-Authenticator does not verify' };
    }
  } else {
    const proxyState = packet.attributes.some((a) => a.type === Attr.ProxyState);
    if (proxyState) return { outcome: 'proxy_state_without_ma', problem: 'Proxy-State without Message-Authenticator' };
    if (kind === 'status' || options.requireMessageAuthenticator) {
      return { outcome: 'missing_message_authenticator', problem: 'Message-Authenticator is required' };
    }
  }

  const request: RadiusRequest = {
    kind,
    identifier: packet.identifier,
    authenticator: Buffer.from(packet.authenticator),
    authentication: 'none',
    proxyStates: [],
  };
  const hidden: Buffer[] = [];
  let chap = false;
  let eap = false;
  const seen = new Set<number>();
  for (const attribute of packet.attributes) {
    const text = TEXT_ATTRIBUTES.get(attribute.type);
    if (text) {
      const decoded = seen.has(attribute.type)
        ? ({ ok: false, problem: 'repeated' } as const)
        : decodeText(attribute.value, MAX_ATTRIBUTE_VALUE_LENGTH);
      seen.add(attribute.type);
      if (decoded.ok) request[text.field] = decoded.value;
      else {
        request.invalid ??= { attribute: text.name, problem: decoded.problem, octets: attribute.value.length };
        delete request[text.field];
      }
      continue;
    }
    switch (attribute.type) {
      case Attr.UserPassword:
        hidden.push(attribute.value);
        break;
      case Attr.ChapPassword:
        chap = true;
        break;
      case Attr.EapMessage:
        eap = true;
        break;
      case Attr.ProxyState:
        request.proxyStates.push(Buffer.from(attribute.value));
        break;
      case Attr.State:
        if (kind === 'access') request.state = Buffer.from(attribute.value);
        break;
      default:
        break;
    }
  }

  if (eap) request.authentication = 'eap';
  else if (chap) request.authentication = hidden.length > 0 ? 'invalid_pap' : 'chap';
  else if (hidden.length === 1) {
    let revealed: Buffer | undefined;
    try {
      revealed = decodeUserPassword(hidden[0]!, secret, packet.authenticator);
    } catch (error) {
      if (!(error instanceof UserPasswordError)) throw error;
      request.authentication = 'invalid_pap';
    }
    if (revealed) {
      const password = decodePasswordText(revealed);
      revealed.fill(0);
      if (password.ok) {
        request.password = password.value;
        request.authentication = 'pap';
      } else {
        request.authentication = 'invalid_pap';
        request.invalid ??= { attribute: 'User-Password', problem: password.problem, octets: hidden[0]!.length };
      }
    }
  } else if (hidden.length > 1) request.authentication = 'invalid_pap';
  return { outcome: 'ok', request };
}
