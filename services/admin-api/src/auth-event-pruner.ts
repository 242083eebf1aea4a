/**
 * Prunes authentication events older than the retention setting (`retention.authEventDays`,
 * default 90). Every admin-api replica runs the timer, but each batch is deleted under a
 * transaction-scoped PostgreSQL advisory lock taken with try (PGlite has the same functions): a
 * replica that finds it held skips the run, so one replica prunes at a time and none waits. Batches
 * keep each transaction short, so the aggregator's inserts are never held up for long.
 */
import { errorFields, type Logger } from '@tollgate/logging';
import { authEvents, DEFAULT_RETENTION, settings, type Db } from '@tollgate/store';

/** An arbitrary constant, distinct from the migration lock's. */
export const PRUNE_LOCK = 7_411_220_005;
export const PRUNE_INTERVAL_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface PruneOptions {
  batchSize?: number;
  /** A run stops after this many batches and goes on at the next one. */
  maxBatches?: number;
  now?: () => Date;
}

export interface PruneReport {
  /** False when another replica held the lock. */
  ran: boolean;
  deleted: number;
  cutoff: Date;
}

export class AuthEventPruner {
  readonly #db: Db;
  readonly #logger: Logger;
  readonly #batchSize: number;
  readonly #maxBatches: number;
  readonly #now: () => Date;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;

  constructor(db: Db, logger: Logger, options: PruneOptions = {}) {
    this.#db = db;
    this.#logger = logger;
    this.#batchSize = options.batchSize ?? 5_000;
    this.#maxBatches = options.maxBatches ?? 200;
    this.#now = options.now ?? (() => new Date());
  }

  async runOnce(): Promise<PruneReport> {
    const retention = (await settings.get(this.#db, 'retention')) ?? DEFAULT_RETENTION;
    const cutoff = new Date(this.#now().getTime() - retention.authEventDays * DAY_MS);
    let deleted = 0;
    for (let i = 0; i < this.#maxBatches; i++) {
      const batch = await this.#db.transaction(async (tx) => {
        const { rows } = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [PRUNE_LOCK]);
        if (!rows[0]?.locked) return undefined;
        return authEvents.pruneBatch(tx, cutoff, this.#batchSize);
      });
      if (batch === undefined) return { ran: i > 0, deleted, cutoff };
      deleted += batch;
      if (batch < this.#batchSize) break;
    }
    if (deleted > 0) this.#logger.info({ deleted, cutoff: cutoff.toISOString() }, 'auth events pruned');
    return { ran: true, deleted, cutoff };
  }

  /** Runs now and then every `intervalMs`; a failed run is logged and retried at the next tick. */
  start(intervalMs = PRUNE_INTERVAL_MS): void {
    if (this.#timer) return;
    const tick = (): void => {
      if (this.#running) return;
      this.#running = this.runOnce()
        .catch((error: unknown) => this.#logger.warn({ err: errorFields(error) }, 'auth event pruning failed'))
        .finally(() => {
          this.#running = undefined;
        });
    };
    this.#timer = setInterval(tick, intervalMs);
    this.#timer.unref();
    tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}
