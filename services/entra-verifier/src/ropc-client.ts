/**
 * Sends one ROPC request to the Entra token endpoint and classifies the answer. One undici
 * keep-alive Pool per origin, created on first use and reused, so the hot path never sets up
 * TLS per request. A deadline covers connect, headers and body; a timeout or network error is
 * `unavailable`. The password only ever lives in the request body; tokens in a 200 are
 * overwritten as soon as the body is parsed and never logged or returned.
 */
import type { Readable } from 'node:stream';
import { Pool } from 'undici';
import { TollgateError } from '@tollgate/contracts';
import { classifyRopcResponse, type RopcClassification } from './classify-ropc-response.js';
import { withTokenEndpointSpan } from './token-endpoint-span.js';

export interface RopcClientOptions {
  /** Deadline for the whole exchange (ENTRA_TIMEOUT_MS). */
  timeoutMs: number;
  /** Connections per origin (ENTRA_MAX_CONNECTIONS). */
  maxConnections: number;
  /** Idle keep-alive before a connection is closed; undici also honours the server's hint. */
  keepAliveMs?: number;
  /** Bodies larger than this are not read (a token answer is a few KiB). */
  maxBodyBytes?: number;
}

export interface RopcCall {
  origin: string;
  path: string;
  clientId: string;
  clientSecret?: string | undefined;
  scope: string;
  username: string;
  password: string;
  /** The caller's remaining time: the call is cut short to fit, never made longer than configured. */
  timeoutMs?: number;
}

export type RopcFailure = 'timeout' | 'network' | 'body_too_large' | 'closed';

export interface RopcResult extends RopcClassification {
  /** HTTP status, 0 when the endpoint was not reached (or its answer not read). */
  httpStatus: number;
  latencyMs: number;
  /** Why there was no answer to classify; the undici error code goes to `errorCode`. */
  failure?: RopcFailure;
  errorCode?: string;
}

export interface PoolTotals {
  connected: number;
  free: number;
  pending: number;
  running: number;
}

const TOKEN_FIELDS = ['access_token', 'id_token', 'refresh_token'] as const;
const DROPPED = '[dropped]';

class BodyTooLargeError extends TollgateError<'body_too_large'> {
  constructor(message: string) {
    super('body_too_large', message);
  }
}

export class RopcClient {
  readonly #pools = new Map<string, Pool>();
  readonly #options: Required<RopcClientOptions>;
  #closed = false;

  constructor(options: RopcClientOptions) {
    this.#options = { keepAliveMs: 30_000, maxBodyBytes: 64 * 1024, ...options };
  }

  call(call: RopcCall): Promise<RopcResult> {
    return withTokenEndpointSpan(call.origin, () => this.#call(call));
  }

  async #call(call: RopcCall): Promise<RopcResult> {
    const started = performance.now();
    const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
    if (this.#closed) return { outcome: 'unavailable', httpStatus: 0, latencyMs: 0, failure: 'closed' };

    const form = new URLSearchParams({
      client_id: call.clientId,
      grant_type: 'password',
      username: call.username,
      password: call.password,
      scope: call.scope,
    });
    if (call.clientSecret !== undefined) form.set('client_secret', call.clientSecret);

    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), Math.min(call.timeoutMs ?? Infinity, this.#options.timeoutMs));
    let httpStatus = 0;
    try {
      const response = await this.#pool(call.origin).request({
        path: call.path,
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          'user-agent': 'tollgate-entra-verifier/1.0',
        },
        body: form.toString(),
        signal: controller.signal,
      });
      httpStatus = response.statusCode;
      const text = await readCapped(response.body, this.#options.maxBodyBytes);
      const body = parseWithoutTokens(text);
      const retryAfter = response.headers['retry-after'];
      const classified = classifyRopcResponse({
        status: httpStatus,
        body,
        retryAfterHeader: retryAfter ?? null,
      });
      return { ...classified, httpStatus, latencyMs: elapsed() };
    } catch (error) {
      const failure: RopcFailure = controller.signal.aborted
        ? 'timeout'
        : error instanceof BodyTooLargeError
          ? 'body_too_large'
          : 'network';
      const code = (error as { code?: unknown }).code;
      const result: RopcResult = {
        outcome: 'unavailable',
        httpStatus: failure === 'body_too_large' ? httpStatus : 0,
        latencyMs: elapsed(),
        failure,
      };
      return typeof code === 'string' ? { ...result, errorCode: code } : result;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sums of the pools' connection counters, for the pool gauges. */
  poolTotals(): PoolTotals {
    const totals: PoolTotals = { connected: 0, free: 0, pending: 0, running: 0 };
    for (const pool of this.#pools.values()) {
      const stats = pool.stats;
      totals.connected += stats.connected;
      totals.free += stats.free;
      totals.pending += stats.pending;
      totals.running += stats.running;
    }
    return totals;
  }

  /** Waits for requests in flight (bounded by the timeout) and closes every connection. */
  async close(): Promise<void> {
    this.#closed = true;
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.allSettled(pools.map((pool) => pool.close()));
  }

  #pool(origin: string): Pool {
    let pool = this.#pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: this.#options.maxConnections,
        pipelining: 1,
        keepAliveTimeout: this.#options.keepAliveMs,
        keepAliveMaxTimeout: Math.max(this.#options.keepAliveMs, 120_000),
        connectTimeout: this.#options.timeoutMs,
        headersTimeout: this.#options.timeoutMs,
        bodyTimeout: this.#options.timeoutMs,
      });
      this.#pools.set(origin, pool);
    }
    return pool;
  }
}

/**
 * The body as text, at most `maxBytes` of it (a larger one is destroyed and refused). Read by
 * its events rather than an async iterator, which costs an iterator, a stream-end watcher and a
 * promise per chunk on every call.
 */
function readCapped(body: Readable, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        settled = true;
        body.destroy();
        reject(new BodyTooLargeError('token endpoint answer too large'));
        return;
      }
      chunks.push(chunk);
    });
    body.once('end', () => {
      settled = true;
      resolve(Buffer.concat(chunks, size).toString('utf8'));
    });
    body.once('error', (error) => {
      settled = true;
      reject(error);
    });
    // Closed before its end without an error. Every body closes once read: the Error (and its
    // stack) is made only when nothing settled first.
    body.once('close', () => {
      if (!settled) reject(new Error('token endpoint answer cut short'));
    });
  });
}

/**
 * JSON.parse, then overwrite any token at once: the classifier only needs to know one was
 * there, and nothing after this point can leak what it never holds.
 */
export function parseWithoutTokens(text: string): unknown {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const record = body as Record<string, unknown>;
  for (const field of TOKEN_FIELDS) {
    if (field in record) record[field] = typeof record[field] === 'string' && record[field] !== '' ? DROPPED : null;
  }
  return record;
}
