import { z } from 'zod';
import { plainText } from './text.js';

export const OtpOutcomes = ['valid', 'invalid', 'replayed', 'locked', 'not_enrolled', 'user_disabled', 'unknown_user'] as const;
export type OtpOutcome = (typeof OtpOutcomes)[number];

export const OtpVerifyRequest = z.object({
  upn: plainText(1, 256),
  code: z.string().regex(/^[0-9]{6,8}$/),
  /** The RADIUS request's key (see DecideRequest): a re-run of the same request may re-claim its step. */
  requestKey: z
    .string()
    .regex(/^[0-9a-f]{16,64}$/)
    .optional(),
  /** Time left for this check: its state-store calls (the lockout counter) are cut short to fit. */
  timeoutMs: z.number().int().min(1).max(60_000).optional(),
  /**
   * The code is a guess at what the typed value ends with (otpMode `auto`): a wrong code is then
   * `invalid` without counting towards the lock, because the value may be a password alone. A
   * valid code is claimed as always. The aggregator sends the whole value to Entra after a miss,
   * so the wrong-password limits bound how often a probe can miss.
   */
  probe: z.boolean().optional(),
});
export type OtpVerifyRequest = z.infer<typeof OtpVerifyRequest>;

export const OtpVerifyResponse = z.object({
  outcome: z.enum(OtpOutcomes),
  /** Failed attempts counted so far in the lockout window (after this one). */
  failures: z.number().int().optional(),
});
export type OtpVerifyResponse = z.infer<typeof OtpVerifyResponse>;
