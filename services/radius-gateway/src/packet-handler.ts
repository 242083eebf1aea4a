import { createHash } from 'node:crypto';
import { DecideRequest, type DecisionReason } from '@tollgate/contracts';
import { noteDecision, noteDrop, noteOther } from './access-request-span.js';
import { errorFields, type Logger } from '@tollgate/logging';
import type { RadiusClient } from './client-table.js';
import { decodeRequest, type RadiusRequest } from './decode-request.js';
import { type Dictionary, loadDictionaries } from '@tollgate/radius-dictionary';
import { EncodeError, encodeResponse, type ResponseSpec } from './encode-response.js';
import type { DropCause, GatewayMetrics } from './gateway-metrics.js';
import { formatIp, parseIp, type IpAddress } from './ip-address.js';
import { parsePacket } from './parse-packet.js';
import { Code } from './radius-constants.js';
import { encodeReplyAttributes } from './reply-attributes.js';
import type { Decision } from './request-decision.js';
import { createRequestIds } from './request-ids.js';
import { retransmitKey, type RetransmitCache } from './retransmit-cache.js';

/**
 * One datagram in, at most one datagram out: source check, decoding and authentication,
 * duplicate detection, the decision on the bus, the answer. Every reject carries the same
 * generic Reply-Message; why it was rejected goes to logs and metrics only. A challenge carries
 * the aggregator's prompt and State; the follow-up's State goes back to it as hex.
 */
export const GENERIC_REJECT_MESSAGE = 'Authentication failed';

/** The response code for each decision: an Access-Challenge asks the NAS for the code (RFC 2865 sec. 4.4). */
const RESPONSE_CODES = {
  accept: Code.AccessAccept,
  reject: Code.AccessReject,
  challenge: Code.AccessChallenge,
} as const;

/** Drops are counted always but logged at warn at most this often per cause (they can be floods). */
const DROP_WARN_INTERVAL_MS = 60_000;

export interface PacketHandlerDeps {
  clients: { match(source: IpAddress): RadiusClient | undefined };
  cache: RetransmitCache;
  decide(request: DecideRequest, timeoutMs: number): Promise<Decision>;
  metrics: GatewayMetrics;
  logger: Logger;
  decisionTimeoutMs: number;
  /** What reply attributes are encoded with (default: the shipped dictionaries). */
  dictionary?: Dictionary;
  /** TOLLGATE_TRACE_USERNAMES: the User-Name goes on the trace span. */
  traceUsernames?: boolean;
  now?: () => number;
  newRequestId?: () => string;
}

export interface Source {
  address: string;
  port: number;
}

export class PacketHandler {
  readonly #deps: PacketHandlerDeps;
  readonly #now: () => number;
  readonly #newRequestId: () => string;
  readonly #lastWarn = new Map<string, number>();
  readonly #dictionary: Dictionary;

  constructor(deps: PacketHandlerDeps) {
    this.#deps = deps;
    this.#dictionary = deps.dictionary ?? loadDictionaries();
    this.#now = deps.now ?? Date.now;
    this.#newRequestId = deps.newRequestId ?? createRequestIds();
  }

  /** Returns the bytes to send back to `source`, or null to stay silent. */
  async handle(datagram: Buffer, source: Source): Promise<Buffer | null> {
    const receivedAt = this.#now();
    const parsed = parsePacket(datagram);
    if (!parsed.ok) return this.#drop('malformed', source, parsed.problem);
    const address = parseIp(source.address);
    const client = address ? this.#deps.clients.match(address) : undefined;
    if (!address || !client) return this.#drop('unknown_client', source, 'no RADIUS client configured for this address');

    const decoded = decodeRequest(parsed.packet, client.secret, { requireMessageAuthenticator: client.requireMessageAuthenticator });
    if (decoded.outcome !== 'ok') return this.#drop(decoded.outcome, source, decoded.problem, client);
    const request = decoded.request;

    if (request.kind === 'status') {
      this.#deps.metrics.statusServer.inc();
      noteOther('Status-Server', client.name);
      return encodeResponse(
        {
          code: Code.AccessAccept,
          identifier: request.identifier,
          requestAuthenticator: request.authenticator,
          proxyStates: request.proxyStates,
        },
        client.secret,
      );
    }

    // Every wait from here on, the state store's included, comes out of the decision deadline.
    const remaining = () => Math.max(1, this.#deps.decisionTimeoutMs - (this.#now() - receivedAt));
    const key = retransmitKey({
      address: formatIp(address),
      port: source.port,
      identifier: request.identifier,
      authenticator: request.authenticator,
    });
    const begun = await this.#deps.cache.begin(key, remaining());
    if (begun.state === 'answered') {
      this.#deps.metrics.retransmits.inc();
      noteOther('retransmission', client.name);
      return begun.response;
    }
    if (begun.state === 'in_flight')
      return this.#drop('retransmit_in_flight', source, 'duplicate of a request still being decided', client);
    if (begun.state === 'unavailable') {
      this.#deps.logger.warn({ err: errorFields(begun.error) }, 'state store unavailable: request processed without duplicate detection');
    }

    const requestId = this.#newRequestId();
    let decision: Decision;
    try {
      decision = await this.#decide(
        requestId,
        requestKeyOf(client.id, key, this.#deps.cache.keyScope),
        formatIp(address),
        request,
        client,
        remaining(),
      );
    } catch (error) {
      this.#deps.logger.error({ requestId, err: errorFields(error) }, 'decision failed unexpectedly');
      decision = { decision: 'reject', reason: 'internal_error' };
    }

    const answer = (replyAttributes: Buffer[]): ResponseSpec => ({
      code: RESPONSE_CODES[decision.decision],
      identifier: request.identifier,
      requestAuthenticator: request.authenticator,
      proxyStates: request.proxyStates,
      ...(decision.decision === 'reject' ? { replyMessage: GENERIC_REJECT_MESSAGE } : {}),
      ...(decision.decision === 'challenge'
        ? { replyMessage: decision.replyMessage, state: Buffer.from(decision.state ?? '', 'hex') }
        : {}),
      ...(replyAttributes.length > 0 ? { replyAttributes } : {}),
    });
    let response: Buffer;
    try {
      try {
        response = encodeResponse(answer(this.#replyAttributes(requestId, client, decision)), client.secret);
      } catch (error) {
        if (!(error instanceof EncodeError && error.code === 'reply_attributes_too_large')) throw error;
        // Never an accept without part of its policy: a reject fits wherever the request did.
        this.#deps.logger.warn({ requestId, client: client.name, err: errorFields(error) }, 'reply attributes do not fit: rejected');
        decision = { decision: 'reject', reason: 'policy.reply_too_large', ...(decision.upn ? { upn: decision.upn } : {}) };
        response = encodeResponse(answer([]), client.secret);
      }
    } catch (error) {
      // No answer can be sent (see encode-response.ts): free the key rather than leave its marker.
      if (begun.state === 'new') await this.#deps.cache.release(key, remaining());
      this.#deps.logger.error({ requestId, err: errorFields(error) }, 'no answer could be encoded');
      return this.#drop('response_too_large', source, 'the answer does not fit in 4096 octets', client);
    }
    if (begun.state === 'new') {
      try {
        await this.#deps.cache.complete(key, response, remaining());
      } catch (error) {
        this.#deps.logger.warn({ requestId, err: errorFields(error) }, 'state store unavailable: response not cached for retransmissions');
      }
    }

    const seconds = (this.#now() - receivedAt) / 1000;
    this.#deps.metrics.requests.inc({ client: client.name, decision: decision.decision, reason: decision.reason });
    this.#deps.metrics.duration.observe({ decision: decision.decision }, seconds);
    noteDecision(client.name, decision, request.userName, this.#deps.traceUsernames ?? false);
    this.#deps.logger.info(
      {
        requestId,
        client: client.name,
        user: request.userName,
        ...(decision.upn ? { upn: decision.upn } : {}),
        decision: decision.decision,
        reason: decision.reason,
        durationMs: Math.round(seconds * 1000),
      },
      'radius decision',
    );
    return response;
  }

  /** The accept's reply attributes as wire bytes; one the dictionary refuses is left out, counted and logged (name only). */
  #replyAttributes(requestId: string, client: RadiusClient, decision: Decision): Buffer[] {
    if (decision.decision !== 'accept' || !decision.replyAttributes) return [];
    const { encoded, dropped } = encodeReplyAttributes(this.#dictionary, decision.replyAttributes);
    for (const { problem } of dropped) this.#deps.metrics.replyAttributesDropped.inc({ problem });
    if (dropped.length > 0) {
      this.#deps.logger.warn(
        { requestId, client: client.name, dropped },
        "reply attributes left out: the gateway's dictionary refuses them (is RADIUS_DICTIONARY_DIR the same for the admin API?)",
      );
    }
    return encoded;
  }

  async #decide(
    requestId: string,
    requestKey: string,
    sourceAddress: string,
    request: RadiusRequest,
    client: RadiusClient,
    timeoutMs: number,
  ): Promise<Decision> {
    if (request.invalid) {
      // Name, problem and length only: the value itself may be a log-injection attempt or a secret.
      const { attribute, problem, octets } = request.invalid;
      this.#deps.metrics.invalidAttributes.inc({ attribute, problem });
      this.#deps.logger.warn(
        { requestId, client: client.name, attribute, problem, octets },
        'radius request refused: invalid text attribute',
      );
      return malformed();
    }
    if (request.authentication !== 'pap') return malformed();
    const payload = DecideRequest.safeParse({
      requestId,
      requestKey,
      sourceAddress,
      username: request.userName,
      password: request.password,
      client: {
        id: client.id,
        name: client.name,
        address: client.address,
        otpMode: client.otpMode ?? 'append',
        ...(client.passwordSources === undefined ? {} : { passwordSources: [...client.passwordSources] }),
        ...(client.fallbackCodes === true ? { fallbackCodes: true } : {}),
      },
      ...(request.state !== undefined ? { state: request.state.toString('hex') } : {}),
      ...(request.nasIdentifier !== undefined ? { nasIdentifier: request.nasIdentifier } : {}),
      ...(request.callingStationId !== undefined ? { callingStationId: request.callingStationId } : {}),
    });
    // No User-Name, an empty password, or values the contract refuses: nothing to ask about.
    if (!payload.success) return malformed();
    return this.#deps.decide(payload.data, timeoutMs);
  }

  #drop(cause: DropCause, source: Source, problem: string, client?: RadiusClient): null {
    this.#deps.metrics.dropped.inc({ cause });
    noteDrop(cause, client?.name);
    const details = { cause, source: source.address, port: source.port, client: client?.name, problem };
    const now = this.#now();
    const last = this.#lastWarn.get(cause);
    if (cause !== 'retransmit_in_flight' && (last === undefined || now - last >= DROP_WARN_INTERVAL_MS)) {
      this.#lastWarn.set(cause, now);
      this.#deps.logger.warn(details, 'radius datagram dropped (further drops of this cause are logged at debug for a minute)');
    } else {
      this.#deps.logger.debug(details, 'radius datagram dropped');
    }
    return null;
  }
}

/**
 * The RADIUS request's name on the bus: a digest of the client and its retransmission identity
 * (source, Identifier, Request Authenticator), the same for every copy of one request that the
 * retransmission cache can recognise; `scope` limits it to that cache's lifetime (see
 * RetransmitCache.keyScope).
 */
export function requestKeyOf(clientId: string, retransmissionKey: string, scope = ''): string {
  const hash = createHash('sha256').update(clientId).update('\0').update(retransmissionKey);
  if (scope) hash.update('\0').update(scope);
  return hash.digest('hex').slice(0, 32);
}

function malformed(): Decision {
  const reason: DecisionReason = 'request.malformed';
  return { decision: 'reject', reason };
}
