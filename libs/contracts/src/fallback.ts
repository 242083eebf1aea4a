import { z } from 'zod';
import { plainText } from './text.js';

/** How a one-time fallback code travels to the user. */
export const FallbackChannels = ['email', 'sms'] as const;
export type FallbackChannel = (typeof FallbackChannels)[number];

/** A challenge's reference: the state-store key of its record (a digest of the State, never the State). */
const challengeRef = z.string().regex(/^challenge:[0-9a-f]{64}$/);

export const FallbackSendRequest = z.object({
  upn: plainText(1, 256),
  channel: z.enum(FallbackChannels),
  ref: challengeRef,
  /** Time left for this send (the state-store calls, the SMTP or webhook call). */
  timeoutMs: z.number().int().min(1).max(60_000).optional(),
});
export type FallbackSendRequest = z.infer<typeof FallbackSendRequest>;

/**
 * `sent`: a code is on its way and its digest stored for `ref`; `no_address`: the user has no
 * email address / phone number on file (or is unknown or disabled); `rate_limited`: the hourly
 * send limit is reached; `disabled`: the channel is off in the settings; `failed`: the mail
 * server or webhook refused or did not answer.
 */
export const FallbackSendOutcomes = ['sent', 'no_address', 'rate_limited', 'disabled', 'failed'] as const;
export type FallbackSendOutcome = (typeof FallbackSendOutcomes)[number];

export const FallbackSendResponse = z.object({
  outcome: z.enum(FallbackSendOutcomes),
  /** On `sent`: how long the code is valid, in seconds. */
  ttlSeconds: z.number().int().min(1).optional(),
});
export type FallbackSendResponse = z.infer<typeof FallbackSendResponse>;

export const FallbackVerifyRequest = z.object({
  upn: plainText(1, 256),
  ref: challengeRef,
  code: z.string().regex(/^[0-9]{6}$/),
  timeoutMs: z.number().int().min(1).max(60_000).optional(),
});
export type FallbackVerifyRequest = z.infer<typeof FallbackVerifyRequest>;

/** `valid`: the code matched and is spent; `invalid`: it did not; `expired`: no code is stored for `ref` (expired or used). */
export const FallbackVerifyOutcomes = ['valid', 'invalid', 'expired'] as const;
export type FallbackVerifyOutcome = (typeof FallbackVerifyOutcomes)[number];

export const FallbackVerifyResponse = z.object({ outcome: z.enum(FallbackVerifyOutcomes) });
export type FallbackVerifyResponse = z.infer<typeof FallbackVerifyResponse>;
