import { context, trace, SpanStatusCode, type Context, type Link } from '@opentelemetry/api';

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
}

/** Links beyond this many are left off a batch span (the SDK's default link limit is 128). */
const MAX_LINKS = 128;

/** Thrown to every caller of a batch whose `run` broke its contract. */
export class BatchError extends Error {
  readonly code = 'batch_mismatch' as const;
  constructor(message: string) {
    super(message);
    this.name = 'BatchError';
  }
}

interface Waiting<I, O> {
  item: I;
  resolve(value: O): void;
  reject(error: unknown): void;
  /** The caller's trace context, for the batch span's parent and links. */
  context: Context;
}

const tracer = trace.getTracer('tollgate.batcher');

export class Batcher<I, O> {
  readonly #run: (items: readonly I[]) => Promise<readonly O[]>;
  readonly #maxBatch: number;
  readonly #onBatch: ((size: number) => void) | undefined;
  readonly #spanName: string;
  #queue: Waiting<I, O>[] = [];
  #scheduled = false;

  constructor(options: BatcherOptions<I, O>) {
    this.#run = options.run;
    this.#maxBatch = Math.max(1, options.maxBatch ?? 500);
    this.#onBatch = options.onBatch;
    this.#spanName = options.name ? `batch ${options.name}` : 'batch';
  }

  /** Queues `item` for the next batch; resolves with its result or rejects with the batch's error. */
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
    let work: Promise<readonly O[]>;
    try {
      work = context.with(trace.setSpan(batch[0]!.context, span), () => this.#run(batch.map((w) => w.item)));
    } catch (error) {
      work = Promise.reject(error);
    }
    work.then(
      () => span.end(),
      () => {
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'batch failed' });
        span.end();
      },
    );
    void work.then(
      (results) => {
        if (!Array.isArray(results) || results.length !== batch.length) {
          const error = new BatchError(`batch of ${batch.length} returned ${Array.isArray(results) ? results.length : 'no'} results`);
          for (const w of batch) w.reject(error);
          return;
        }
        batch.forEach((w, i) => w.resolve(results[i] as O));
      },
      (error: unknown) => {
        for (const w of batch) w.reject(error);
      },
    );
  }
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
