import { authEvents, isValueError, type AuthEvent, type Db } from '@tollgate/store';
import { errorFields, type Logger } from '@tollgate/logging';

/**
 * Buffers decisions and writes them to the auth log in batches, off the request path: one
 * INSERT per flush instead of one per authentication. When the database refuses a batch for a
 * value in it (isValueError), the rows are written one by one, so only the bad row is lost.
 * Any other failure (an outage) loses the batch, which is not retried row by row: that would
 * only queue hundreds of failing inserts. Lost rows are logged and counted either way (the
 * decision itself already went out; the audit log line in the process log still has it).
 */
export class AuthEventWriter {
  readonly #db: Db;
  readonly #logger: Logger;
  readonly #flushMs: number;
  readonly #maxBatch: number;
  readonly #onFailure: (count: number) => void;
  #buffer: AuthEvent[] = [];
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(options: { db: Db; logger: Logger; flushMs: number; maxBatch?: number; onFailure?: (count: number) => void }) {
    this.#db = options.db;
    this.#logger = options.logger;
    this.#flushMs = options.flushMs;
    this.#maxBatch = options.maxBatch ?? 500;
    this.#onFailure = options.onFailure ?? (() => undefined);
  }

  add(event: AuthEvent): void {
    this.#buffer.push(event);
    if (this.#buffer.length >= this.#maxBatch) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.#flushMs);
  }

  /** Writes what is buffered; resolves once every earlier flush has finished too. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#buffer;
    this.#buffer = [];
    this.#flushing = this.#flushing.then(async () => {
      if (batch.length === 0) return;
      try {
        await authEvents.insertMany(this.#db, batch);
      } catch (error) {
        const lost = isValueError(error) && batch.length > 1 ? await this.#insertOneByOne(batch) : batch.length;
        if (lost > 0) {
          this.#onFailure(lost);
          this.#logger.error({ err: errorFields(error), count: lost, batch: batch.length }, 'auth log write failed');
        }
      }
    });
    return this.#flushing;
  }

  /**
   * Writes each row alone, in order; resolves with how many were lost. Should the database
   * fail for another reason meanwhile, the rest are given up rather than each waiting for it.
   */
  async #insertOneByOne(batch: AuthEvent[]): Promise<number> {
    let lost = 0;
    for (const [index, event] of batch.entries()) {
      try {
        await authEvents.insertMany(this.#db, [event]);
      } catch (error) {
        if (!isValueError(error)) return lost + batch.length - index;
        lost++;
      }
    }
    return lost;
  }
}
