import { context, trace, SpanStatusCode, type Context, type Link } from '@opentelemetry/api';
import { TollgateError } from '@tollgate/contracts';

/**
 * Collects calls made close together and runs them as one batch (DataLoader-style): many
 * concurrent authentications then cost one database round trip instead of one each. A batch is
 * flushed on `setImmediate`, i.e. right after the I/O callbacks that queued its calls, so an
 * idle service waits for nothing; it is flushed at once when `maxBatch` calls are waiting.
 * Batches are not held back while others run: measured, that made batches no larger (they
 * are as large as what arrives in one turn) and only risked latency.
 *
 * Tracing: a batch serves many requests, so it gets one span of its own (`batch <name>`,
 * attribute `tollgate.batch.size`) whose parent is the first caller's span, so a lone request
 * (the common case off-peak) shows its query in its own trace, and whose links point at every
 * other caller's span, so each of their traces leads to the query that served it. The query's
 * own span (db.query ...) is a child of the batch span.
 *
 * Failure isolation: when a batch of several items fails, each item is run again on its own
 * (unless `splitOn` says the error is not one an item can cause), so one bad item fails alone
 * and every other caller still gets its own result. The retries run under the same span.
 */
export interface BatcherOptions<I, O> {
  /** Runs one batch; must return exactly one result per item, in the items' order. */
  run(items: readonly I[]): Promise<readonly O[]>;
  /** Most items in one batch (default 500). */
  maxBatch?: number;
  /** Told the size of every batch as it starts (for metrics). */
  onBatch?(size: number): void;
  /** Names the batch's span (`batch <name>`); default `batch`. */
  name?: string;
  /**
   * Whether a failed batch of several items is run again item by item, so that only the items
   * that fail on their own get the error (default: on every error). A database batcher passes
   * a test for errors an item's value can cause: splitting on an outage would only multiply the
   * failing queries, each costing its caller another wait.
   */
  splitOn?(error: unknown): boolean;
  /** Told the size of every batch that failed and was split. */
  onSplit?(size: number): void;
}

/** Links beyond this many are left off a batch span (the SDK's default link limit is 128). */
const MAX_LINKS = 128;

/** Thrown to the callers of a batch whose `run` broke its contract (after splitting, only to those whose own run did). */
export class BatchError extends TollgateError<'batch_mismatch'> {
  constructor(message: string) {
    super('batch_mismatch', message);
  }
}

interface Waiting<I, O> {
  item: I;
  resolve(value: O): void;
  reject(error: unknown): void;
  /** The caller's trace context, for the batch span's parent and links. */
  context: Context;
}

type Answer<I, O> = { ok: true; waiting: Waiting<I, O>; value: O } | { ok: false; waiting: Waiting<I, O>; error: unknown };

const tracer = trace.getTracer('tollgate.batcher');

export class Batcher<I, O> {
  readonly #run: (items: readonly I[]) => Promise<readonly O[]>;
  readonly #maxBatch: number;
  readonly #onBatch: ((size: number) => void) | undefined;
  readonly #spanName: string;
  readonly #split: (error: unknown) => boolean;
  readonly #onSplit: ((size: number) => void) | undefined;
  #queue: Waiting<I, O>[] = [];
  #scheduled = false;

  constructor(options: BatcherOptions<I, O>) {
    this.#run = options.run;
    this.#maxBatch = Math.max(1, options.maxBatch ?? 500);
    this.#onBatch = options.onBatch;
    this.#spanName = options.name ? `batch ${options.name}` : 'batch';
    this.#split = options.splitOn ?? (() => true);
    this.#onSplit = options.onSplit;
  }

  /** Queues `item` for the next batch; resolves with its result or rejects with its error. */
  load(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject, context: context.active() });
      if (this.#queue.length >= this.#maxBatch) this.#flush();
      else this.#schedule();
    });
  }

  /** Calls queued and not yet running. */
  get pending(): number {
    return this.#queue.length;
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#flush();
    });
  }

  #flush(): void {
    while (this.#queue.length > 0) {
      const batch = this.#queue.length <= this.#maxBatch ? this.#queue : this.#queue.slice(0, this.#maxBatch);
      this.#queue = batch === this.#queue ? [] : this.#queue.slice(batch.length);
      this.#start(batch);
    }
  }

  #start(batch: Waiting<I, O>[]): void {
    this.#onBatch?.(batch.length);
    const span = tracer.startSpan(this.#spanName, { attributes: { 'tollgate.batch.size': batch.length } }, batch[0]!.context);
    if (span.isRecording()) span.addLinks(linksOf(batch));
    const settled = this.#settle(batch, trace.setSpan(batch[0]!.context, span))
      // Only a throwing splitOn or onSplit gets here; every caller must still hear back.
      .catch((error: unknown): Answer<I, O>[] => batch.map((waiting) => ({ ok: false, waiting, error })));
    void settled.then((answers) => {
      const failed = answers.filter((a) => !a.ok).length;
      if (failed > 0)
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: failed === batch.length ? 'batch failed' : `${failed} of ${batch.length} items failed`,
        });
      // The span ends before any caller hears back, so it never outlives its parent's trace.
      span.end();
      for (const a of answers) {
        if (a.ok) a.waiting.resolve(a.value);
        else a.waiting.reject(a.error);
      }
    });
  }

  /** Runs the batch and works out every caller's answer, splitting it if need be. */
  async #settle(batch: Waiting<I, O>[], inSpan: Context): Promise<Answer<I, O>[]> {
    let results: readonly O[];
    try {
      results = await this.#call(
        batch.map((w) => w.item),
        inSpan,
      );
    } catch (error) {
      if (batch.length === 1 || !this.#split(error)) return batch.map((waiting) => ({ ok: false, waiting, error }));
      // One bad item (a NUL the database refuses) must not fail the good ones: each runs alone.
      trace.getSpan(inSpan)?.addEvent('batch split', { 'tollgate.batch.error': errorName(error) });
      this.#onSplit?.(batch.length);
      return (await Promise.all(batch.map((w) => this.#settle([w], inSpan)))).flat();
    }
    return batch.map((waiting, i) => ({ ok: true, waiting, value: results[i] as O }));
  }

  /** One call of `run`, with its contract checked; a synchronous throw becomes a rejection. */
  async #call(items: I[], inSpan: Context): Promise<readonly O[]> {
    const results = await context.with(inSpan, () => this.#run(items));
    if (!Array.isArray(results) || results.length !== items.length) {
      throw new BatchError(`batch of ${items.length} returned ${Array.isArray(results) ? results.length : 'no'} results`);
    }
    return results;
  }
}

function errorName(error: unknown): string {
  const e = error as { name?: unknown; code?: unknown } | null;
  return [e?.name, e?.code].filter((x) => typeof x === 'string').join(' ') || 'error';
}

/** Links to the callers after the first (the first is the parent). */
function linksOf(batch: ReadonlyArray<{ context: Context }>): Link[] {
  const links: Link[] = [];
  for (let i = 1; i < batch.length && links.length < MAX_LINKS; i++) {
    const caller = trace.getSpanContext(batch[i]!.context);
    if (caller) links.push({ context: caller });
  }
  return links;
}
