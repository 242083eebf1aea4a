/**
 * Collects calls made close together and runs them as one batch (DataLoader-style): many
 * concurrent authentications then cost one database round trip instead of one each. A batch is
 * flushed on `setImmediate`, i.e. right after the I/O callbacks that queued its calls, so an
 * idle service waits for nothing; it is flushed at once when `maxBatch` calls are waiting.
 * Batches are not held back while others run: measured, that made batches no larger (they
 * are as large as what arrives in one turn) and only risked latency.
 */
export interface BatcherOptions<I, O> {
  /** Runs one batch; must return exactly one result per item, in the items' order. */
  run(items: readonly I[]): Promise<readonly O[]>;
  /** Most items in one batch (default 500). */
  maxBatch?: number;
  /** Told the size of every batch as it starts (for metrics). */
  onBatch?(size: number): void;
}

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
}

export class Batcher<I, O> {
  readonly #run: (items: readonly I[]) => Promise<readonly O[]>;
  readonly #maxBatch: number;
  readonly #onBatch: ((size: number) => void) | undefined;
  #queue: Waiting<I, O>[] = [];
  #scheduled = false;

  constructor(options: BatcherOptions<I, O>) {
    this.#run = options.run;
    this.#maxBatch = Math.max(1, options.maxBatch ?? 500);
    this.#onBatch = options.onBatch;
  }

  /** Queues `item` for the next batch; resolves with its result or rejects with the batch's error. */
  load(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
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
    let work: Promise<readonly O[]>;
    try {
      work = this.#run(batch.map((w) => w.item));
    } catch (error) {
      work = Promise.reject(error);
    }
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
