import { z } from 'zod';
import { plainText, secretText } from './text.js';

/** The small fixed set of outcomes a ROPC answer is classified into. */
export const EntraOutcomes = [
  'password_ok_mfa', // interaction_required-class answer: password proven, account has MFA
  'invalid_credentials',
  'no_mfa', // a token was issued
  'locked',
  'disabled',
  'password_expired',
  'blocked',
  'config_error',
  'throttled',
  'unavailable',
  'not_configured',
] as const;
export type EntraOutcome = (typeof EntraOutcomes)[number];

export const EntraVerifyRequest = z.object({
  upn: plainText(1, 256),
  password: secretText(1, 256),
  /** Time left for this check; the token-endpoint call is cut short to fit (never longer than configured). */
  timeoutMs: z.number().int().min(1).max(60_000).optional(),
});
export type EntraVerifyRequest = z.infer<typeof EntraVerifyRequest>;

export const EntraVerifyResponse = z.object({
  outcome: z.enum(EntraOutcomes),
  /** The first AADSTS code of the answer, when there was one (e.g. 50076). */
  aadsts: z.number().int().optional(),
  /** HTTP status of the token endpoint, 0 when it was not reached. */
  httpStatus: z.number().int(),
  /** Seconds Entra asked us to wait (Retry-After), when throttled. */
  retryAfterSeconds: z.number().optional(),
  /** Entra's correlation id, for a support case. Never a token. */
  correlationId: z.string().optional(),
  latencyMs: z.number(),
});
export type EntraVerifyResponse = z.infer<typeof EntraVerifyResponse>;
