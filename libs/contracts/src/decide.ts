import { z } from 'zod';
import { AcceptReasons, CHALLENGE_REASON, FallbackChallengeReasons, RejectReasons } from './reasons.js';
import { MAX_REPLY_ATTRIBUTES, ReplyAttribute } from './reply-attribute.js';
import { PasswordSources } from './ldap.js';
import { plainText, secretText } from './text.js';

/**
 * How a RADIUS client's users enter their code: appended to the password in one Access-Request
 * (`append`), asked for in an Access-Challenge once the password is proven (`challenge`), or
 * either, told apart by whether the typed value ends with a valid code (`auto`).
 */
export const OtpModes = ['append', 'challenge', 'auto'] as const;
export type OtpMode = (typeof OtpModes)[number];

/** A State attribute as hex (1..253 octets on the wire). */
const stateHex = z.string().regex(/^(?:[0-9a-f]{2}){1,253}$/);

export const DecideRequest = z.object({
  /** Gateway-assigned id for correlating logs; not a secret. */
  requestId: plainText(1, 64),
  /**
   * Names the RADIUS request itself (client, source, Identifier, Request Authenticator): every
   * copy of one request carries the same key, so a decision may be re-run after a crash without
   * its code counting as replayed. Not a secret.
   */
  requestKey: z
    .string()
    .regex(/^[0-9a-f]{16,64}$/)
    .optional(),
  /** Milliseconds the gateway will still wait for this decision; the aggregator stays inside it. */
  budgetMs: z.number().int().min(1).max(60_000).optional(),
  /** The NAS's source address as the packet came (the client may be configured as a CIDR). */
  sourceAddress: plainText(0, 64).optional(),
  /** User-Name as the NAS sent it. */
  username: plainText(1, 253),
  /**
   * Decoded User-Password: the Entra password with the TOTP code appended (`append`), the password
   * alone (first request of a `challenge`), the code alone (the follow-up, with `state`), or
   * either shape (`auto`).
   */
  password: secretText(1, 128),
  /** The RADIUS client (NAS) as configured in Tollgate; `otpMode` absent is `append`. */
  client: z.object({
    id: plainText(0, 256),
    name: plainText(0, 256),
    address: plainText(0, 64),
    otpMode: z.enum(OtpModes).optional(),
    /** The directories that check the password, in order (see PasswordSources); absent is `['entra']`. */
    passwordSources: z.array(z.enum(PasswordSources)).min(1).max(PasswordSources.length).optional(),
    /** Users may answer the challenge with `email` or `sms` to get a one-time code that way; absent is off. */
    fallbackCodes: z.boolean().optional(),
  }),
  /** The State attribute of a follow-up to an Access-Challenge, as hex, exactly as the NAS sent it. */
  state: stateHex.optional(),
  nasIdentifier: plainText(0, 253).optional(),
  callingStationId: plainText(0, 253).optional(),
});
export type DecideRequest = z.infer<typeof DecideRequest>;

export const DecideResponse = z.object({
  decision: z.enum(['accept', 'reject', 'challenge']),
  /**
   * An accept reason (`ok`, `ok.exempt`, `ok.fallback`) on an accept; a reject reason on a reject; on a challenge `challenge.issued` (password
   * proven, code asked) or the OTP reason of the wrong code that is asked again, or a fallback reason (`challenge.fallback_sent`,
   * `challenge.fallback_unavailable`).
   */
  reason: z.enum([...AcceptReasons, CHALLENGE_REASON, ...FallbackChallengeReasons, ...RejectReasons]),
  /** On a challenge only: the opaque State the NAS must send back with the code (hex). */
  state: z
    .string()
    .regex(/^[0-9a-f]{32,128}$/)
    .optional(),
  /** On a challenge only: the prompt the NAS shows (Reply-Message). */
  replyMessage: plainText(1, 253).optional(),
  /** The canonical user name the decision was made for (UPN). */
  upn: z.string().optional(),
  aadsts: z.number().int().optional(),
  /**
   * What an Access-Accept carries, in this order (policy decides which and in what order). The
   * gateway validates each against its dictionary again and leaves out one it cannot encode.
   * Ignored on a reject.
   */
  replyAttributes: z.array(ReplyAttribute).max(MAX_REPLY_ATTRIBUTES).optional(),
});
export type DecideResponse = z.infer<typeof DecideResponse>;
