import {
  BusError,
  FallbackSendRequest,
  FallbackVerifyRequest,
  type FallbackSendResponse,
  type FallbackVerifyResponse,
} from '@tollgate/contracts';
import type { Logger } from '@tollgate/logging';
import type { z } from 'zod';
import type { StateStore } from '@tollgate/state';
import type { FallbackCodeSettings, UserContact } from '@tollgate/store';
import { fallbackCodeDigest, fallbackCodeKey, fallbackCodeMatches, fallbackSendsKey, generateFallbackCode } from './fallback-code.js';
import type { FallbackMessage } from './fallback-senders.js';

/** The least time given to a state-store call or a send, even when the caller's budget is nearly spent. */
const MIN_CALL_MS = 25;
/** The longest a send may take when the caller gave no budget. */
const DEFAULT_SEND_MS = 10_000;

export interface FallbackCodeDeps {
  settings: () => Promise<FallbackCodeSettings>;
  contact: (upn: string) => Promise<UserContact | null>;
  state: Pick<StateStore, 'increment' | 'set' | 'get' | 'swap' | 'delete'>;
  sendEmail: (email: FallbackCodeSettings['email'], message: FallbackMessage, timeoutMs: number) => Promise<void>;
  sendSms: (sms: FallbackCodeSettings['sms'], message: FallbackMessage, timeoutMs: number) => Promise<void>;
  now: () => number;
  logger: Logger;
}

/** A request as its schema reads it, or a `bad_request` naming the first field at fault. */
function parse<T>(schema: z.ZodType<T>, payload: unknown): T {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new BusError('bad_request', `${issue?.path.join('.') || 'payload'}: ${issue?.message ?? 'invalid'}`);
}

/**
 * The fallback-code endpoints. `send` checks the channel, the user's address and the hourly
 * limit (counted before sending, so failed sends count too), stores the code's digest for the
 * challenge with the code's TTL, then sends it; a send that fails drops the digest. `verify`
 * compares in constant time and takes the digest on a match (single use). Sends and uses are
 * logged at info with the user and channel, never the code or the address.
 */
export function createFallbackCodes(deps: FallbackCodeDeps): {
  send: (payload: unknown) => Promise<FallbackSendResponse>;
  verify: (payload: unknown) => Promise<FallbackVerifyResponse>;
} {
  const { logger } = deps;
  return {
    async send(payload) {
      const request = parse(FallbackSendRequest, payload);
      const { upn, channel, ref } = request;
      const timeoutMs = request.timeoutMs ?? DEFAULT_SEND_MS;
      const deadline = deps.now() + timeoutMs;
      const left = () => Math.max(MIN_CALL_MS, deadline - deps.now());
      const settings = await deps.settings();
      const on = channel === 'email' ? settings.email.enabled : settings.sms.enabled;
      if (!on) {
        logger.info({ upn, channel, outcome: 'disabled' }, 'fallback code not sent: channel disabled');
        return { outcome: 'disabled' };
      }
      const contact = await deps.contact(upn);
      const to = contact?.enabled ? (channel === 'email' ? contact.email : contact.phone) : null;
      if (!to) {
        logger.info({ upn, channel, outcome: 'no_address' }, 'fallback code not sent: no address on file');
        return { outcome: 'no_address' };
      }
      const sends = await deps.state.increment(fallbackSendsKey(upn, deps.now()), 3_600_000, { timeoutMs: left() });
      if (sends > settings.maxSendsPerHour) {
        logger.warn({ upn, channel, sends, outcome: 'rate_limited' }, 'fallback code not sent: hourly limit reached');
        return { outcome: 'rate_limited' };
      }
      const code = generateFallbackCode();
      const key = fallbackCodeKey(ref);
      await deps.state.set(key, fallbackCodeDigest(ref, code), settings.codeTtlSeconds * 1000, { timeoutMs: left() });
      const message: FallbackMessage = { to, code, upn, ttlSeconds: settings.codeTtlSeconds };
      try {
        if (channel === 'email') await deps.sendEmail(settings.email, message, left());
        else await deps.sendSms(settings.sms, message, left());
      } catch (error) {
        await deps.state.delete(key, { timeoutMs: MIN_CALL_MS * 4 }).catch(() => undefined);
        // Only the error's kind: a server's message may quote the recipient.
        const code = typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : 'error';
        logger.warn({ upn, channel, outcome: 'failed', errorCode: code }, 'fallback code could not be sent');
        return { outcome: 'failed' };
      }
      logger.info({ upn, channel, outcome: 'sent', ttlSeconds: settings.codeTtlSeconds }, 'fallback code sent');
      return { outcome: 'sent', ttlSeconds: settings.codeTtlSeconds };
    },

    async verify(payload) {
      const request = parse(FallbackVerifyRequest, payload);
      const { upn, ref, code } = request;
      const timeoutMs = request.timeoutMs ?? DEFAULT_SEND_MS;
      const key = fallbackCodeKey(ref);
      const stored = await deps.state.get(key, { timeoutMs });
      // An empty value is what a use leaves for its last millisecond.
      if (stored === null || stored.length === 0) {
        logger.info({ upn, outcome: 'expired' }, 'fallback code refused: none stored (expired or used)');
        return { outcome: 'expired' };
      }
      if (!fallbackCodeMatches(stored, ref, code)) {
        logger.info({ upn, outcome: 'invalid' }, 'fallback code refused: wrong code');
        return { outcome: 'invalid' };
      }
      // Taken atomically: of two checks of one code only the first finds it (single use).
      const taken = await deps.state.swap(key, Buffer.alloc(0), 1, { timeoutMs });
      if (taken === null || !fallbackCodeMatches(taken, ref, code)) {
        logger.info({ upn, outcome: 'expired' }, 'fallback code refused: used meanwhile');
        return { outcome: 'expired' };
      }
      logger.info({ upn, outcome: 'valid' }, 'fallback code used');
      return { outcome: 'valid' };
    },
  };
}
